# TEST CODE: a stand-in for IPFire's /var/ipfire/general-functions.pl, only
# what header.pl's stand-in and mwan's page need, written here from the
# contract (not copied). IPFire's sets $General::swroot to '/var/ipfire'; this
# one to the directory it lies in, so a test root is the page's /.
package General;
use strict;
use File::Basename ();
use Cwd ();

our $swroot = File::Basename::dirname(Cwd::abs_path(__FILE__));

# Follows IPFire's General::readhash (general-functions.pl): KEY=VALUE lines
# into a hash, '#' lines skipped, quotes around a value dropped.
sub readhash {
	my ($file, $hash) = @_;
	open(my $fh, '<', $file) or return;
	while (my $line = <$fh>) {
		chomp $line;
		next if ($line =~ /^\s*#/ || $line !~ /=/);
		my ($k, $v) = split(/=/, $line, 2);
		$v =~ s/^'(.*)'$/$1/;
		$hash->{$k} = $v;
	}
	close($fh);
}

1;
