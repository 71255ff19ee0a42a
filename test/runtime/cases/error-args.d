/* args: -q */
/* ERROR probe arguments (as dtrace-utils' dt_probe_error sets them):
   arg0 = 0, arg1 = EPID of the faulting enabled probe, arg4 = fault code,
   arg5 = fault value (0 for division by zero). The faulting clause
   saves its own epid in a global before the fault. */
BEGIN
{
	z = 0;
}

BEGIN
{
	saved = epid;
	x = 1 / z;
}

ERROR
{
	printf("arg0=%d arg1-is-epid=%d arg4=%d arg5=%d\n", arg0, arg1 == saved, arg4, arg5);
	exit(0);
}
