/* args: -q */
/* Dereferencing a NULL pointer and a bad kernel address at run time:
   DTrace's "invalid address" message with the address, the faulting
   clause records nothing, the ERROR clause runs with DTRACEFLT_BADADDR in
   arg4 and the address in arg5, and the next clause of the probe still
   runs. */
int n;

tick-10ms
/n == 0/
{
	printf("not recorded\n");
	trace(*(int *)0);
}

tick-10ms
/n == 0/
{
	printf("next clause\n");
}

tick-10ms
/n == 1/
{
	this->p = (uint64_t *)8;
	printf("not recorded %d\n", *this->p);
}

tick-10ms
/n == 1/
{
	this->q = (char *)0;
	printf("null is %d\n", this->q == 0);
}

tick-10ms
{
	n++;
}

tick-10ms
/n == 2/
{
	exit(0);
}

ERROR
{
	printf("ERROR arg4 %d (BADADDR %d) arg5 %d\n", arg4, DTRACEFLT_BADADDR, arg5);
}
