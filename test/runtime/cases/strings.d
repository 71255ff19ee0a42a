/* args: -q */
/* String comparisons at run time (word-wise dt_strcmp: equal prefixes,
   NULs inside a word, strings longer than one word) and execname. */
BEGIN
{
	s = "abc";
	t = "abcdefghij";
	e = "";
	printf("%d %d %d %d %d\n", s == "abc", s != "abd", s < "abd", s > "ab", s >= "abc");
	printf("%d %d %d\n", t == "abcdefghij", t < "abcdefghik", t > "abcdefgh");
	printf("%d %d %d\n", e == "", e < s, s > e);
	printf("[%s] [%s] [%s]\n", s, t, e);
	printf("%s %d\n", execname, execname == "dtrace");
	exit(0);
}
