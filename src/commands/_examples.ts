// The examples each command's help ends with, keyed by command path ("" is
// mwan itself). One table, read by the help renderer (_help.ts), so a test
// can require an example for every command. A command that goes on over
// several lines uses " \\\n    ", as it would be typed.

export interface Example {
  what: string;
  run: string;
}

const ex = (what: string, run: string): Example => ({ what, run });

export const EXAMPLES: Record<string, Example[]> = {
  "": [
    ex("What RED is on, and why", "mwan status"),
    ex("The options of one command", "mwan help profile create"),
  ],
  help: [ex("The options of profile create", "mwan help profile create")],
  enable: [
    ex("Turn failover on and start the daemon", "mwan enable"),
    ex("Turn it on; the daemon starts at the next boot", "mwan enable --no-start"),
  ],
  disable: [
    ex("Turn failover off; RED stays where it is", "mwan disable"),
    ex("Turn it off and move RED back to the primary", "mwan disable --failback"),
  ],
  config: [
    ex("Every setting and its value", "mwan config show"),
    ex("Try the primary again 2 minutes after a failover", "mwan config set FAILBACK_DELAY 120"),
  ],
  "config show": [
    ex("Every setting, its value and what it does", "mwan config show"),
    ex("The same for a script", "mwan config show --json"),
  ],
  "config get": [ex("The profile RED normally uses", "mwan config get PRIMARY")],
  "config unset": [ex("Back to the default failback delay", "mwan config unset FAILBACK_DELAY")],
  "config set": [
    ex("Try the primary again 2 minutes after a failover", "mwan config set FAILBACK_DELAY 120"),
    ex("Ping two targets (one value, so quoted)", "mwan config set PROBE_TARGETS '9.9.9.9 1.1.1.1'"),
    ex("Back to the default", "mwan config set PROBE_TARGETS ''"),
    ex("Name the profile RED holds now as the primary", "mwan config set PRIMARY dsl"),
  ],
  "config check": [ex("Check settings and every profile", "mwan config check")],
  profile: [
    ex("The profiles in failover order", "mwan profile list"),
    ex("A new backup, asked for on a terminal", "mwan profile create lte"),
  ],
  "profile create": [
    ex("Asked for field by field on a terminal", "mwan profile create lte"),
    ex("A DHCP backup on eth2, from a script", "mwan profile create cable --type dhcp --device eth2"),
    ex(
      "A PPPoE backup, the password from a file",
      "mwan profile create dsl --type pppoe --device eth1 \\\n    --username user@isp --password-stdin < dsl-password",
    ),
  ],
  "profile list": [
    ex("The primary first, then the backups in failover order", "mwan profile list"),
    ex("The same for a script", "mwan profile list --json"),
  ],
  "profile show": [ex("One profile, its password masked", "mwan profile show lte")],
  "profile edit": [
    ex("Every field in turn, on a terminal", "mwan profile edit lte"),
    ex("Change one field", "mwan profile edit lte --priority 2"),
  ],
  "profile delete": [ex("Delete a backup that is no longer used", "mwan profile delete old-dsl")],
  "profile test": [
    ex("Is the standby cable working? (RED stays where it is)", "mwan profile test cable"),
    ex("Ten rounds, for a script", "mwan profile test cable --rounds 10 --json"),
  ],
  "profile import-current": [
    ex("Save RED as IPFire has it now (the primary, if none is set yet)", "mwan profile import-current home"),
  ],
  switch: [
    ex("What a switch to lte would change", "mwan switch lte --dry-run"),
    ex("Move RED to lte now and keep it there", "mwan switch lte"),
  ],
  failback: [
    ex("What going back to the primary would change", "mwan failback --dry-run"),
    ex("Go back to the primary now", "mwan failback"),
  ],
  recover: [ex("Finish or undo a switch that was cut short", "mwan recover")],
  daemon: [ex("Whether the daemon runs", "mwan daemon status"), ex("Restart it", "mwan daemon restart")],
  "daemon start": [ex("Start the daemon in the background", "mwan daemon start")],
  "daemon stop": [ex("Stop the daemon", "mwan daemon stop")],
  "daemon restart": [ex("Stop and start the daemon", "mwan daemon restart")],
  "daemon status": [ex("In a script: is it running?", "mwan daemon status >/dev/null && echo running")],
  "daemon run": [ex("Watch the daemon at work on this terminal", "mwan daemon run")],
  status: [ex("What RED is on, and why", "mwan status"), ex("The same for a script", "mwan status --json")],
  history: [
    ex("Every switch kept, numbered", "mwan history"),
    ex("Switch 12 and what the log says of it", "mwan history 12"),
  ],
  events: [ex("Run every event script once and send a test mail", "mwan events test")],
  "events test": [
    ex("Run every event script with MWAN_EVENT=test; a mail too with MAIL=on", "mwan events test"),
    ex("Only the scripts", "mwan events test --no-mail"),
  ],
  hold: [ex("Keep RED where it is during maintenance", "mwan hold")],
  resume: [ex("Switch automatically again", "mwan resume")],
  hook: [ex("What IPFire's red.up hook runs", "mwan hook up")],
  install: [ex("Install or upgrade from the downloaded binary", "./mwan-x86_64 install")],
  uninstall: [
    ex("Remove mwan, keeping its configuration", "mwan uninstall"),
    ex("Remove it with its configuration and logs", "mwan uninstall --purge"),
  ],
};
