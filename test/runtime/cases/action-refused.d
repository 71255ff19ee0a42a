/* args: -w */
/* breakpoint( ) cannot be built on this kernel: refused at compile time, not accepted and ignored. */
BEGIN
{
	breakpoint();
}
