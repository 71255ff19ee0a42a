/* args: -q */
/* ERROR probe arguments as dtrace-utils sets them: arg0 = 0, arg1 = the
   faulting probe's id (its conformance tests compare arg1 with `id`),
   arg2 = the faulting clause's index, arg4 = fault code, arg5 = fault value
   (0 for division by zero). */
BEGIN
{
	z = 0;
}

BEGIN
{
	saved = id;
	x = 1 / z;
}

ERROR
{
	printf("arg0=%d arg1-is-id=%d arg2=%d arg4=%d arg5=%d\n", arg0, arg1 == saved, arg2, arg4, arg5);
	exit(0);
}
