/* args: -x switchrate=10hz */
/* setopt( ) while tracing: bad names and values and run-time options are errors of the clause; quiet changes how later records print. */
BEGIN
{
	setopt("nosuchoption");
	setopt("quiet", "perhaps");
	setopt("strsize", "10");
	setopt("switchrate", "2s");
	trace("before");
}

BEGIN
{
	setopt("quiet");
}

BEGIN
{
	trace("quiet now\n");
	setopt("quiet", "no");
}

BEGIN
{
	trace("loud again");
	exit(0);
}
