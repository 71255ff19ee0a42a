/* args: -q */
/* vtimestamp (the D library's vtime.d) counts the thread's time on CPU:
   it never goes back and is less than the time since boot. */
BEGIN
{
	a = vtimestamp;
	b = vtimestamp;
	printf("%s\n", a > 0 && b >= a && b < timestamp ? "ok" : "WRONG");
	exit(0);
}
