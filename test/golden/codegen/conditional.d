/* if/else with actions on both sides (presence flags), exit() and a
   ternary. */
BEGIN
{
	if (pid > 1) {
		trace(pid > 100 ? 1 : 2);
		exit(0);
	} else {
		printf("no\n");
	}
	trace("end");
}
