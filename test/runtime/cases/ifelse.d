/* args: -q */
/* if/else with actions on both sides, nested and chained. */
BEGIN
{
	x = 3;
	if (x > 2) {
		printf("big\n");
	} else {
		printf("small\n");
	}
	if (x > 5)
		printf("huge\n");
	else if (x == 3)
		printf("three\n");
	else
		printf("other\n");
	if (x) {
		if (x < 0) {
			printf("negative\n");
		}
		trace(x);
		printf("\n");
	}
	if (x == 4) {
		exit(1);
	}
	printf("end of clause\n");
	exit(0);
}
