// mwan's page in IPFire's web interface, as install writes it: the CGI in
// IPFire's cgi-bin, its menu entry and its strings (contract §7). The CGI is
// Perl so that it draws with IPFire's own header.pl (openpage, openbox,
// closebox, closepage) and theme. It runs as the web server's user, reads no
// file of mwan's and writes none: everything it shows and does goes through
// the daemon's control socket (daemon/control-socket.ts), with core Perl only
// (IO::Socket::UNIX, JSON::PP).
//
// The strings are read by the page itself from addon-lang, so no
// update-lang-cache is run: it rewrites IPFire's language caches, which
// uninstall could not give back byte for byte. IPFire's cgi-bin has no
// FollowSymLinks, so the page is a file (root:root 0755 as IPFire's own).

import type { Paths } from "../adapters/paths.ts";

// Plain files, as plan.ts's `file` entries.
type WebFile = { kind: "file"; path: string; mode: number; content: string };

// Perl single quotes: nothing inside is special but the quote and backslash.
function perlQuote(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

export function webEntries(paths: Paths): WebFile[] {
  return [
    { kind: "file", path: paths.webCgi, mode: 0o755, content: cgi(paths) },
    { kind: "file", path: paths.webMenu, mode: 0o644, content: MENU },
    ...Object.entries(STRINGS).map(([lang, strings]): WebFile => ({
      kind: "file",
      path: paths.webLang(lang),
      mode: 0o644,
      content: langFile(strings),
    })),
  ];
}

// Eval'ed by IPFire's genmenu on every page: one plain assignment. The
// caption falls back to English until IPFire's language cache has mwan's.
const MENU = `# mwan's entry in IPFire's menu. Written by \`mwan install\`, removed by \`mwan uninstall\`.
$subnetwork->{'45.mwan'} = {
	'caption' => $Lang::tr{'mwan menu'} || 'Multi-WAN',
	'uri' => '/cgi-bin/mwan.cgi',
	'title' => $Lang::tr{'mwan menu'} || 'Multi-WAN',
	'enabled' => 1,
};
`;

type Strings = Record<string, string>;

const EN: Strings = {
  "mwan menu": "Multi-WAN",
  "mwan title": "Multi-WAN failover",
  "mwan not running": "The mwan daemon is not running",
  "mwan not running text":
    "Nothing watches RED, so there is no failover now. Start the daemon on the console with: mwan daemon start",
  "mwan red": "RED",
  "mwan on": "On",
  "mwan primary": "primary",
  "mwan backup": "backup",
  "mwan since": "since",
  "mwan health": "Health",
  "mwan link": "Link",
  "mwan held": "Held by the admin: mwan does not switch RED until resume",
  "mwan switching": "Switching",
  "mwan failback": "Failback",
  "mwan next trial": "next trial of the primary at",
  "mwan probes": "Probes cannot run",
  "mwan targets": "Targets",
  "mwan target": "Target",
  "mwan loss": "Loss",
  "mwan rtt": "RTT",
  "mwan jitter": "Jitter",
  "mwan sent": "Sent",
  "mwan profiles": "Profiles",
  "mwan profile": "Profile",
  "mwan role": "Role",
  "mwan carrier": "Carrier",
  "mwan state": "State",
  "mwan carries red": "carries RED",
  "mwan standby": "standby",
  "mwan side": "from the side:",
  "mwan side unavailable": "not watched from the side",
  "mwan back at": "back to the primary, healthy from the side, at",
  "mwan no carrier": "no carrier",
  "mwan carrier up": "carrier up",
  "mwan switches": "Recent switches",
  "mwan no switches": "No switches yet.",
  "mwan time": "Time",
  "mwan reason": "Reason",
  "mwan actions": "Actions",
  "mwan switch": "Switch",
  "mwan switch confirm": "Switch RED to this profile and hold it there?",
  "mwan failback now": "Fail back now",
  "mwan failback confirm": "Try the primary now?",
  "mwan hold": "Hold",
  "mwan hold confirm": "Keep RED where it is until resume?",
  "mwan resume": "Resume",
  "mwan resume confirm": "Let mwan switch RED automatically again?",
  "mwan outcome": "Outcome",
  "mwan started": "Started: RED is being switched; this page shows it when it is done.",
  "mwan done": "Done.",
  "mwan refused": "Refused",
  "mwan ok": "ok",
  "mwan failed": "FAILED",
};

const DE: Strings = {
  "mwan menu": "Multi-WAN",
  "mwan title": "Multi-WAN-Ausfallsicherung",
  "mwan not running": "Der mwan-Dienst läuft nicht",
  "mwan not running text":
    "Niemand überwacht RED, es gibt also gerade keine Ausfallsicherung. Starten Sie den Dienst auf der Konsole mit: mwan daemon start",
  "mwan red": "RED",
  "mwan on": "Auf",
  "mwan primary": "primär",
  "mwan backup": "Reserve",
  "mwan since": "seit",
  "mwan health": "Zustand",
  "mwan link": "Verbindung",
  "mwan held": "Vom Admin festgehalten: mwan schaltet RED bis zum Fortsetzen nicht um",
  "mwan switching": "Umschaltung",
  "mwan failback": "Rückkehr",
  "mwan next trial": "nächster Versuch mit dem primären Profil um",
  "mwan probes": "Messungen können nicht laufen",
  "mwan targets": "Ziele",
  "mwan target": "Ziel",
  "mwan loss": "Verlust",
  "mwan rtt": "RTT",
  "mwan jitter": "Jitter",
  "mwan sent": "Gesendet",
  "mwan profiles": "Profile",
  "mwan profile": "Profil",
  "mwan role": "Rolle",
  "mwan carrier": "Träger",
  "mwan state": "Status",
  "mwan carries red": "trägt RED",
  "mwan standby": "in Bereitschaft",
  "mwan side": "über die eigene Schnittstelle:",
  "mwan side unavailable": "nicht über die eigene Schnittstelle beobachtet",
  "mwan back at": "zurück zum primären Profil (über die eigene Schnittstelle gesund) um",
  "mwan no carrier": "kein Träger",
  "mwan carrier up": "Träger vorhanden",
  "mwan switches": "Letzte Umschaltungen",
  "mwan no switches": "Noch keine Umschaltungen.",
  "mwan time": "Zeit",
  "mwan reason": "Grund",
  "mwan actions": "Aktionen",
  "mwan switch": "Umschalten",
  "mwan switch confirm": "RED auf dieses Profil umschalten und dort festhalten?",
  "mwan failback now": "Jetzt zurückkehren",
  "mwan failback confirm": "Das primäre Profil jetzt versuchen?",
  "mwan hold": "Festhalten",
  "mwan hold confirm": "RED bis zum Fortsetzen dort lassen, wo es ist?",
  "mwan resume": "Fortsetzen",
  "mwan resume confirm": "mwan RED wieder selbst umschalten lassen?",
  "mwan outcome": "Ergebnis",
  "mwan started": "Begonnen: RED wird umgeschaltet; diese Seite zeigt es, sobald es fertig ist.",
  "mwan done": "Erledigt.",
  "mwan refused": "Abgelehnt",
  "mwan ok": "ok",
  "mwan failed": "FEHLGESCHLAGEN",
};

const STRINGS: Record<string, Strings> = { en: EN, de: DE };

// IPFire's addon-lang form: %tr extended, in the package that loads it.
function langFile(strings: Strings): string {
  const lines = Object.entries(strings).map(([k, v]) => `${perlQuote(k)} => ${perlQuote(v)},`);
  return `# mwan's strings for IPFire's web interface. Written by \`mwan install\`, removed by \`mwan uninstall\`.\n%tr = (\n%tr,\n${lines.join("\n")}\n);\n1;\n`;
}

// On the firewall the root is /; below a test root the page reads that
// root's IPFire files and the daemon's socket there.
function cgi(paths: Paths): string {
  const root = paths.root === "/" ? "" : paths.root.replace(/\/+$/, "");
  return `#!/usr/bin/perl
# mwan's page in IPFire's web interface: what \`mwan status\` shows, and
# switch, failback, hold and resume. Written by \`mwan install\`, removed by
# \`mwan uninstall\`; not an IPFire file. It runs as the web server's user and
# reaches the mwan daemon only through its control socket, which checks every
# request; it reads and writes no file of mwan's.
use strict;
use IO::Socket::UNIX;
use JSON::PP;

my $root = ${perlQuote(root)};
require "$root/var/ipfire/general-functions.pl";
require "$root/var/ipfire/lang.pl";
require "$root/var/ipfire/header.pl";

my $socket = "$root/var/run/mwan/control.sock";

# mwan's strings, English first, then the page's language over them: IPFire's
# language cache has them only after its next update-lang-cache.
unless (exists $Lang::tr{'mwan title'}) {
	package Lang;
	my $dir = "$root/var/ipfire/addon-lang";
	do "$dir/mwan.en.pl";
	my $lang = $Lang::language // 'en';
	do "$dir/mwan.$lang.pl" if ($lang =~ /^[a-z]{2}$/ && $lang ne 'en' && -f "$dir/mwan.$lang.pl");
}
sub tr_ { my $k = shift; return exists $Lang::tr{$k} ? $Lang::tr{$k} : $k; }
sub esc {
	my $s = shift // '';
	$s =~ s/&/&amp;/g;
	$s =~ s/</&lt;/g;
	$s =~ s/>/&gt;/g;
	$s =~ s/"/&quot;/g;
	$s =~ s/'/&#39;/g;
	return $s;
}
sub t { return esc(tr_(shift)); }
sub at_ { my $iso = shift // ''; $iso =~ s/T/ /; $iso =~ s/\\.\\d+Z$/ UTC/; $iso =~ s/Z$/ UTC/; return esc($iso); }

# One request, one answer line; undef when the daemon does not answer.
sub ask {
	my ($req) = @_;
	my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $socket, Timeout => 3) or return undef;
	print $s JSON::PP->new->encode($req) . "\\n";
	my $line = <$s>;
	close($s);
	return undef unless defined $line;
	# Characters as they came (UTF-8 bytes), printed as they are.
	my $answer = eval { JSON::PP->new->decode($line) };
	return ref($answer) eq 'HASH' ? $answer : undef;
}

# POST fields, as IPFire's getcgihash takes them: only when the form came
# from this server (the Referer's host is ours), and bounded.
my %form = ();
if (($ENV{'REQUEST_METHOD'} // '') eq 'POST') {
	my $length = $ENV{'CONTENT_LENGTH'} // 0;
	my ($referer) = ($ENV{'HTTP_REFERER'} // '') =~ m{^https?://([^/]+)};
	my $body = '';
	# Read even when refused: a CGI that leaves the body unread has its connection reset.
	read(STDIN, $body, $length) if ($length =~ /^\\d+$/ && $length <= 4096);
	if (length($body) == $length && defined $referer && $referer eq ($ENV{'HTTP_HOST'} // '')) {
		foreach my $pair (split(/&/, $body)) {
			my ($k, $v) = split(/=/, $pair, 2);
			foreach ($k, $v) { $_ //= ''; tr/+/ /; s/%([0-9A-Fa-f]{2})/chr(hex($1))/ge; }
			$form{$k} = $v;
		}
	}
}

my %action = ('switch' => 1, 'failback' => 1, 'hold' => 1, 'resume' => 1);
my $outcome;
if (($ENV{'REQUEST_METHOD'} // '') eq 'POST') {
	my $act = $form{'ACTION'} // '';
	if (!$action{$act}) {
		$outcome = { ok => JSON::PP::false, error => 'not a request this page makes' };
	} else {
		my %req = (request => $act, token => $form{'TOKEN'} // '');
		$req{'profile'} = $form{'PROFILE'} // '' if ($act eq 'switch');
		$outcome = ask(\\%req) // { ok => JSON::PP::false, error => tr_('mwan not running') };
	}
}

my $status = ask({ request => 'status' });
my $token = ask({ request => 'token' });
my $m = ($status && $status->{'ok'}) ? $status->{'status'} : undef;
my $switching = $m && $m->{'switching'};
# As IPFire's index.cgi: often while something changes, else every half minute.
my $self = esc($ENV{'SCRIPT_NAME'} // '/cgi-bin/mwan.cgi');
my $refresh = "<meta http-equiv='refresh' content='" . ($switching ? 3 : 30) . ";url=$self'>";

&Header::showhttpheaders();
&Header::openpage(tr_('mwan title'), 1, $refresh);
&Header::openbigbox('100%', 'left', '', '');

if ($outcome) {
	&Header::openbox('100%', 'left', tr_('mwan outcome'));
	if (!$outcome->{'ok'}) {
		print "<p class='mwan-refused'><strong>" . t('mwan refused') . ":</strong> " . esc($outcome->{'error'}) . "</p>\\n";
	} elsif ($outcome->{'refused'}) {
		print "<p class='mwan-refused'><strong>" . t('mwan refused') . ":</strong> " . esc($outcome->{'refused'}) . "</p>\\n";
	} else {
		print "<p class='mwan-done'>" . ($outcome->{'switched'} ? t('mwan started') : t('mwan done')) . "</p>\\n";
	}
	&Header::closebox();
}

if (!$m) {
	&Header::openbox('100%', 'left', tr_('mwan not running'));
	print "<p>" . t('mwan not running text') . "</p>\\n";
	&Header::closebox();
	&Header::closebigbox();
	&Header::closepage();
	exit 0;
}

my $tok = esc($token && $token->{'ok'} ? $token->{'token'} : '');
# A POST form with the token, confirmed in the browser as IPFire's pages do.
sub button {
	my ($act, $label, $confirm, $profile) = @_;
	my $p = defined $profile ? "<input type='hidden' name='PROFILE' value='" . esc($profile) . "'>" : '';
	return "<form method='post' action='$self' class='mwan-action' data-confirm='" . esc($confirm)
		. "' onsubmit='return confirm(this.dataset.confirm)'><input type='hidden' name='ACTION' value='$act'>"
		. "<input type='hidden' name='TOKEN' value='$tok'>$p<input type='submit' value='" . esc($label) . "'></form>";
}

&Header::openbox('100%', 'left', tr_('mwan red'));
print "<p class='mwan-headline'><strong>" . esc($m->{'headline'}) . "</strong></p>\\n<table class='tbl' width='100%'>\\n";
my $role = ($m->{'active'} // '') eq ($m->{'primary'} // '') ? t('mwan primary') : t('mwan backup');
my $since = $m->{'activeSince'} ? ' ' . t('mwan since') . ' ' . at_($m->{'activeSince'}) : '';
print "<tr><th align='left' width='20%'>" . t('mwan on') . "</th><td id='mwan-active'><strong>" . esc($m->{'active'} // '?') . "</strong> ($role)$since</td></tr>\\n";
my $r = $m->{'red'} // {};
my $link = $r->{'up'} ? esc($r->{'iface'}) . ' ' . esc($r->{'address'}) . ($r->{'gateway'} ? ' &rarr; ' . esc($r->{'gateway'}) : '') : 'down';
print "<tr><th align='left'>" . t('mwan link') . "</th><td>$link</td></tr>\\n";
if (my $h = $m->{'health'}) {
	print "<tr><th align='left'>" . t('mwan health') . "</th><td><span class='mwan-health-" . esc($h->{'state'}) . "'>" . esc($h->{'state'}) . "</span> " . t('mwan since') . ' ' . at_($h->{'since'}) . ($h->{'reason'} ? ': ' . esc($h->{'reason'}) : '') . "</td></tr>\\n";
}
print "<tr><th align='left'>" . t('mwan probes') . "</th><td>" . esc($m->{'probeProblem'}) . "</td></tr>\\n" if ($m->{'probeProblem'});
print "<tr><th align='left'>" . t('mwan switching') . "</th><td>" . esc($switching->{'from'}) . " &rarr; " . esc($switching->{'to'}) . "</td></tr>\\n" if ($switching);
print "<tr><td colspan='2'>" . t('mwan held') . "</td></tr>\\n" if ($m->{'hold'});
my $fb = $m->{'failback'};
if ($fb && $fb->{'backAt'} && !$m->{'hold'}) {
	print "<tr><th align='left'>" . t('mwan failback') . "</th><td>" . t('mwan back at') . ' ' . at_($fb->{'backAt'}) . "</td></tr>\\n";
}
if ($fb && $fb->{'nextTrialAt'} && !$m->{'hold'}) {
	print "<tr><th align='left'>" . t('mwan failback') . "</th><td>" . t('mwan next trial') . ' ' . at_($fb->{'nextTrialAt'}) . ($fb->{'waitingFor'} ? ' (' . esc($fb->{'waitingFor'}) . ')' : '') . "</td></tr>\\n";
}
print "</table>\\n<p>" . button('failback', tr_('mwan failback now'), tr_('mwan failback confirm'))
	. ($m->{'hold'} ? button('resume', tr_('mwan resume'), tr_('mwan resume confirm')) : button('hold', tr_('mwan hold'), tr_('mwan hold confirm'))) . "</p>\\n";
&Header::closebox();

&Header::openbox('100%', 'left', tr_('mwan profiles'));
print "<table class='tbl' width='100%'>\\n<tr><th>" . t('mwan profile') . "</th><th>" . t('mwan role') . "</th><th>" . t('mwan state') . "</th><th>" . t('mwan carrier') . "</th><th></th></tr>\\n";
foreach my $p (@{ $m->{'profiles'} // [] }) {
	my $prole = $p->{'role'} eq 'primary' ? t('mwan primary') : t('mwan backup') . ' ' . esc($p->{'priority'});
	my $state = $p->{'carriesRed'} ? t('mwan carries red') . ' (' . esc(($m->{'health'} // {})->{'state'}) . ')' : t('mwan standby');
	# Its health watched through its own NIC, as mwan status says it.
	if (ref($p->{'side'}) eq 'HASH') {
		my $side = $p->{'side'};
		if (($side->{'status'} // '') ne 'running') {
			$state .= '; ' . t('mwan side unavailable') . ': ' . esc($side->{'reason'});
		} else {
			my $h = ref($side->{'health'}) eq 'HASH' ? $side->{'health'} : {};
			my @fig;
			push @fig, sprintf('%.0f%%', $side->{'lossPct'}) . ' ' . t('mwan loss') if (defined $side->{'lossPct'});
			push @fig, sprintf('%.1f ms', $side->{'rttAvgMs'}) if (defined $side->{'rttAvgMs'});
			$state .= '; ' . t('mwan side') . ' ' . esc($h->{'state'}) . ' ' . t('mwan since') . ' ' . at_($h->{'since'})
				. (@fig ? ' (' . join(', ', @fig) . ')' : '');
		}
	}
	$state .= '; ' . esc($p->{'lastFailedAt'}) if ($p->{'lastFailedAt'});
	my $carrier = !defined $p->{'carrier'} ? '' : $p->{'carrier'} ? t('mwan carrier up') : t('mwan no carrier');
	my $act = $p->{'carriesRed'} ? '' : button('switch', tr_('mwan switch'), tr_('mwan switch confirm') . ' (' . $p->{'name'} . ')', $p->{'name'});
	print "<tr class='mwan-profile' data-profile='" . esc($p->{'name'}) . "'><td><strong>" . esc($p->{'name'}) . "</strong></td><td>$prole</td><td>$state</td><td>$carrier</td><td align='right'>$act</td></tr>\\n";
}
print "</table>\\n";
&Header::closebox();

if (@{ $m->{'targets'} // [] }) {
	&Header::openbox('100%', 'left', tr_('mwan targets'));
	print "<table class='tbl' width='100%'>\\n<tr><th>" . t('mwan target') . "</th><th>" . t('mwan loss') . "</th><th>" . t('mwan rtt') . "</th><th>" . t('mwan jitter') . "</th><th>" . t('mwan sent') . "</th></tr>\\n";
	my $ms = sub { my $v = shift; return defined $v ? sprintf('%.1f ms', $v) : '-'; };
	foreach my $x (@{ $m->{'targets'} }) {
		my $loss = defined $x->{'lossPct'} ? sprintf('%.0f%%', $x->{'lossPct'}) : '-';
		print "<tr><td>" . esc($x->{'target'}) . "</td><td>$loss</td><td>" . $ms->($x->{'rttAvgMs'}) . "</td><td>" . $ms->($x->{'jitterMs'}) . "</td><td>" . esc($x->{'sent'}) . "</td></tr>\\n";
	}
	print "</table>\\n";
	&Header::closebox();
}

&Header::openbox('100%', 'left', tr_('mwan switches'));
my @recent = @{ ($m->{'switches'} // {})->{'recent'} // [] };
if (@recent) {
	print "<table class='tbl' width='100%'>\\n<tr><th>" . t('mwan time') . "</th><th>" . t('mwan profile') . "</th><th></th><th>" . t('mwan reason') . "</th></tr>\\n";
	foreach my $s (@recent) {
		my $ok = $s->{'ok'} ? t('mwan ok') : "<strong>" . t('mwan failed') . "</strong>";
		my $why = esc($s->{'reason'}) . ($s->{'ok'} ? '' : '; ' . esc($s->{'result'}));
		print "<tr><td>" . at_($s->{'at'}) . "</td><td>" . esc($s->{'from'} // '?') . " &rarr; " . esc($s->{'to'}) . "</td><td>$ok " . esc($s->{'seconds'}) . " s</td><td>$why</td></tr>\\n";
	}
	print "</table>\\n";
} else {
	print "<p>" . t('mwan no switches') . "</p>\\n";
}
&Header::closebox();

&Header::closebigbox();
&Header::closepage();
`;
}
