// Operator commands. `switch to` pins the chosen profile (hold) until
// `resume`: an operator who moves RED for maintenance does not want mwan to
// move it back a minute later. `failback now` is a trial of the primary that
// ignores the back-off and the carrier check (the operator may know better).

import { home, profile, sideDown } from "./profiles.ts";
import { startFailback, startSwitch } from "./switching.ts";
import type { Action, Command, State } from "./types.ts";

// A command as the admin gave it (the log and the command's answer say it).
const asked = (c: Command) =>
  c.kind === "switchTo" ? `switch to ${c.profile}` : c.kind === "failbackNow" ? "failback" : c.kind;

export function commandEvent(state: State, command: Command, now: number, out: Action[]): State {
  if (state.mode !== "running") {
    const why = state.mode === "switching" ? "a switch is in progress" : "shutting down";
    out.push({
      type: "log",
      level: "warning",
      message: `${asked(command)} refused: ${why}`,
      refused: true,
    });
    return state;
  }
  switch (command.kind) {
    case "hold": {
      const reason = "automatic switching stopped until mwan resume";
      out.push({ type: "notify", severity: "info", message: reason });
      return { ...state, hold: true, reason };
    }
    case "resume": {
      const reason = "automatic switching resumed";
      out.push({ type: "notify", severity: "info", message: reason });
      return { ...state, hold: false, reason };
    }
    case "switchTo": {
      if (profile(state, command.profile) === undefined) {
        out.push({
          type: "log",
          level: "warning",
          message: `switch to ${command.profile} refused: no such profile`,
          refused: true,
        });
        return state;
      }
      const pinned: State = {
        ...state,
        hold: true,
        rescue: null,
        failback: { ...state.failback, probation: null },
      };
      if (command.profile === state.active && state.link.health !== "down") {
        const reason = `already on ${state.active}; held there until mwan resume`;
        out.push({ type: "notify", severity: "info", message: reason });
        return { ...pinned, reason };
      }
      return startSwitch(
        pinned,
        now,
        out,
        command.profile,
        "operator",
        `operator: switch to ${command.profile} and hold`,
        command.rollback !== false,
      );
    }
    case "failbackNow": {
      const primary = home(state).name;
      if (state.active === primary) {
        out.push({
          type: "log",
          level: "info",
          message: `failback refused: already on ${primary}`,
          refused: true,
        });
        return state;
      }
      const down = sideDown(state, primary);
      if (down !== null) {
        out.push({
          type: "log",
          level: "warning",
          message: `failback as asked, although ${primary} is ${down}`,
        });
      }
      return startFailback({ ...state, hold: false, rescue: null }, now, out, "operator: failback now");
    }
  }
}
