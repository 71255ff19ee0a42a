/*
 * Destructive actions are refused when tracing is enabled, after the
 * probes are matched, unless -w or the destructive option allows them.
 */
BEGIN
{
	raise(0);
	exit(0);
}
