# TEST CODE: a stand-in for IPFire's /var/ipfire/lang.pl, written here (not
# copied). Like IPFire's, it fills %Lang::tr and sets $Lang::language from
# main/settings LANGUAGE; its strings are the few header.pl's stand-in uses,
# as IPFire's language cache holds them before update-lang-cache has taken in
# an add-on's addon-lang files.
package Lang;
use strict;

our %tr = (
	'core update' => 'Core Update',
	'support donation' => 'Support IPFire with your donation',
	'network' => 'Network',
	'status' => 'Status',
);

my %settings = ();
&General::readhash("$General::swroot/main/settings", \%settings);
our $language = $settings{'LANGUAGE'} || 'en';

1;
