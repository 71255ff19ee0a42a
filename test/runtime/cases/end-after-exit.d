/* args: -q */
/* exit() in BEGIN: no ordinary probe records, END still runs. */
BEGIN
{
	printf("begin\n");
	exit(0);
}

tick-1ms
{
	printf("tick after exit\n");
}

END
{
	printf("end\n");
}
