// Tunables of the decision engine. All times are in milliseconds.
//
// Why the defaults are what they are (the figures are measured by
// test/bench/failover-sim.ts; the anchors are shared/research/multiwan-anchors.md):
//
// Detection. A round goes to every target (3 by default in the shell) every
// 300 ms, each echo waits up to 1 s, and a round passes when 1 target answers.
// 5 failed rounds in a row declare the link down: a black-holed link is down
// 5 × 0.3 s + 1 s ≈ 2.5 s after the cut at worst (pfSense ≈ 15 s, mwan3
// 60–130 s). Robustness comes from the number of echoes that must all be lost:
// 3 targets × 5 rounds = 15, so with independent loss p the chance per round
// is p^15. At 20 % loss that is ~1e-5 false alarms per day, at 30 % ~0.004,
// at 50 % ~9 (a link losing half its packets is fair game). A quorum of 1 is
// deliberate: requiring 2 of 3 answers makes a round fail 13 times as often at
// 20 % loss, and public anycast targets of different operators cannot all
// answer across a dead upstream. The 1 s timeout tolerates bufferbloat on a
// loaded uplink; it is the same order as mwan3's failure_latency.
//
// Proof. A link counts as up after 10 good rounds in a row (3 s): at 50 %
// loss that still happens within seconds, on a dead link never.
//
// Link facts. Carrier, operstate, red/active and the address are reported by
// the shell from netlink/inotify at once, so they skip the probe arithmetic;
// a 500 ms debounce swallows a carrier blip that would otherwise cost two RED
// restarts. During bring-up (after a switch or at start) the link gets 20 s
// to show all facts good: carrier negotiation plus DHCP with rapid commit, a
// PPPoE discovery and a QMI bearer normally take a few seconds, and a primary
// that is dead at boot is then given up after 20 s rather than never.
//
// Metered links (QMI/LTE) are probed with one echo every 10 s while they are
// healthy: 1 × 84 B each way / 10 s ≈ 1.45 MB a day (pfSense probes every
// gateway twice a second, ≈ 10 MB a day, even in standby). The first lost
// echo switches back to full rounds every 300 ms, so a dead LTE link is still
// declared down within ~12 s. A QMI backup that does not carry RED is not
// watched from the side at all, so its standby costs nothing.
//
// Side watch. While a backup carries RED, the other profiles are watched
// through their own NICs (RED is never touched): a DHCP or STATIC profile with
// a round to every target every 2 s over its own address and a routing table
// only mwan's probes use, judged with RED's arithmetic (quorum 1, down after 5
// failed rounds = 10 s, up after 10 good ones = 20 s); a PPPoE/VDSL primary
// with one PADI/PADO exchange every 30 s (a session would be a second login,
// which many ISPs refuse). Every round goes to all targets rather than
// rotating one per round: with a quorum of 1, a dead or rate-limiting target
// in a rotation would fail every third round and reset every good streak, so
// a primary would never be healthy for FAILBACK_DELAY. 3 targets × 84 B each
// way every 2 s ≈ 21.8 MB a day per watched profile (pfSense: ≈ 10 MB a day
// per gateway); a discovery exchange is a few hundred bytes every 30 s. A
// metered profile (METERED=on on a DHCP or STATIC one, say an LTE router) is
// watched every 10 s instead, ≈ 4.4 MB a day: a dead one is known within a
// minute, which is soon enough for a standby profile.
//
// Failback. A primary watched from the side comes back once it has been
// healthy from the side for 60 s in a row (30 s when the backup is metered:
// every minute on LTE costs money), pfSense's way: no blind trial, and never
// to a primary its watch sees dead. A primary that cannot be watched (QMI, a
// watch that cannot run: no lease offered, no PADO) gets a trial instead:
// switch to it, and it must prove itself within a 60 s probation or mwan goes
// straight back; the first trial comes 60 s (30 s) after landing on the
// backup. A PPPoE/VDSL primary keeps that trial schedule, but a due trial
// waits until the access concentrator answers discovery. Each failed trial,
// and each primary failure within 10 min of its return, doubles the wait (the
// healthy time asked of a watched primary too), up to 30 min (15 min when the
// backup is metered): a failed trial costs the LAN a few seconds of outage, so
// a long outage must not be probed every minute, and a flapping primary
// settles on the backup. Ten minutes of a healthy primary reset the back-off.
// Nothing goes back to a primary whose NIC reports no carrier, nor until the
// carrier has been back for 5 s; waiting for carrier does not count as a
// failed trial, so an unplugged primary is tried 5 s after it is plugged in
// again.
//
// No working link. When every profile has failed, mwan retries after 10 s,
// then doubles the pause up to 5 min and notifies each time.
export interface EngineConfig {
  probeIntervalMs: number;
  probeTimeoutMs: number;
  // Targets that must answer for a round to pass.
  quorum: number;
  downRounds: number;
  upRounds: number;
  linkDebounceMs: number;
  bringUpGraceMs: number;
  metered: {
    probeIntervalMs: number;
    targetsPerRound: number;
  };
  stats: {
    windowMs: number;
    bucketMs: number;
  };
  failback: {
    minBackupMs: number;
    meteredMinBackupMs: number;
    probationMs: number;
    backoffFactor: number;
    backoffCapMs: number;
    meteredBackoffCapMs: number;
    stableMs: number;
    carrierSettleMs: number;
  };
  side: {
    probeIntervalMs: number;
    meteredProbeIntervalMs: number;
    discoveryIntervalMs: number;
    timeoutMs: number;
    // The wait for a PADO after the PADI: an access concentrator answers in
    // milliseconds; a loaded one may take seconds, more than an echo's 1 s.
    discoveryTimeoutMs: number;
  };
  noLink: {
    retryBaseMs: number;
    retryCapMs: number;
  };
  // Switches kept for the status output.
  historySize: number;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  probeIntervalMs: 300,
  probeTimeoutMs: 1_000,
  quorum: 1,
  downRounds: 5,
  upRounds: 10,
  linkDebounceMs: 500,
  bringUpGraceMs: 20_000,
  metered: {
    probeIntervalMs: 10_000,
    targetsPerRound: 1,
  },
  stats: {
    windowMs: 60_000,
    bucketMs: 5_000,
  },
  failback: {
    minBackupMs: 60_000,
    meteredMinBackupMs: 30_000,
    probationMs: 60_000,
    backoffFactor: 2,
    backoffCapMs: 30 * 60_000,
    meteredBackoffCapMs: 15 * 60_000,
    stableMs: 10 * 60_000,
    carrierSettleMs: 5_000,
  },
  side: {
    probeIntervalMs: 2_000,
    meteredProbeIntervalMs: 10_000,
    discoveryIntervalMs: 30_000,
    timeoutMs: 1_000,
    discoveryTimeoutMs: 5_000,
  },
  noLink: {
    retryBaseMs: 10_000,
    retryCapMs: 5 * 60_000,
  },
  historySize: 20,
};
