/* args: -q */
/* A tick-N probe fires again and again; exit() stops it after 5 firings. */
tick-10ms
{
	n++;
}

tick-10ms
/n == 5/
{
	printf("fired %d times\n", n);
	exit(0);
}

tick-10ms
/n > 5/
{
	printf("fired after exit\n");
}
