/* args: -q */
/* Wrong values at run time: a NULL string or char pointer argument faults
   at address 0, as does a NULL result recorded and strtok(NULL, ...) with no
   string started in this firing; a base outside 2..36 is an illegal
   operation. Each fault runs ERROR and tracing goes on (as dtrace-utils). */
BEGIN
{
	n = (char *)0;
	s = "abc";
	i = 0;
}

tick-10ms
/i < 7/
{
	i++;
}

tick-10ms
/i == 1/
{
	trace(strlen(n));
}

tick-10ms
/i == 2/
{
	trace(strjoin(s, n));
}

tick-10ms
/i == 3/
{
	trace(strchr(s, 'x'));
}

tick-10ms
/i == 4/
{
	trace(strtok(NULL, " "));
}

tick-10ms
/i == 5/
{
	trace(lltostr(1, i - 4));
}

tick-10ms
/i == 6/
{
	this->x = strchr(s, 'x');
	printf("NULL result stored: %d\n", this->x == NULL);
	printf("after the faults: %s %d\n", basename("/a/b"), strlen(s));
	exit(0);
}

ERROR
{
	printf("ERROR %d %d\n", arg4, arg5);
}
