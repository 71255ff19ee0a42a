/* args: -q */
/* strtok(): the NULL-first-argument continuation, changing delimiters, the empty delimiter set, a string of delimiters only, the empty string, a string cut at strsize; checked against dtrace-utils. */
#pragma D option strsize=16
BEGIN
{
	printf("1 |%s|", strtok("  a b  c ", " "));
	printf("%s|", strtok(NULL, " "));
	printf("%s|", strtok(NULL, " "));
	printf("%s|\n", strtok(NULL, " ") == NULL ? "null" : "x");
	printf("2 |%s|", strtok("a,b;c", ",;"));
	printf("%s|", strtok(NULL, ";"));
	printf("%s|\n", strtok(NULL, ""));
	printf("3 |%s|\n", strtok("abc", "") );
	printf("4 |%s|\n", strtok(",,,", ",") == NULL ? "null" : "x");
	printf("5 |%s|\n", strtok("", ",") == NULL ? "null" : "x");
	printf("6 |%s|\n", strtok("0123456789abcdefXYZ", "X"));
	exit(0);
}
