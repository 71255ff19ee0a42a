/* args: -q */
/* basename, dirname and cleanpath on the edge paths (empty, slashes only, trailing and doubled slashes, ".." at the root and in relative paths); checked against dtrace-utils. */
#pragma D option strsize=32
BEGIN
{
	printf("b |%s|%s|%s|%s|%s|%s|%s|\n", basename(""), basename("/"), basename("///"), basename("a"), basename("a/"), basename("/a/b//"), basename("a//b"));
	printf("d |%s|%s|%s|%s|%s|%s|%s|%s|\n", dirname(""), dirname("/"), dirname("///"), dirname("a"), dirname("a/"), dirname("/a/b//"), dirname("a//b"), dirname("/a"));
	printf("d2 |%s|%s|%s|\n", dirname("//a//b"), dirname("a/b/c"), dirname(".."));
	printf("c |%s|%s|%s|%s|%s|\n", cleanpath(""), cleanpath("/"), cleanpath("//"), cleanpath("."), cleanpath(".."));
	printf("c2 |%s|%s|%s|%s|\n", cleanpath("/.."), cleanpath("../a"), cleanpath("a/../.."), cleanpath("/a/./b/../c/"));
	printf("c3 |%s|%s|%s|%s|\n", cleanpath("a/b/../../.."), cleanpath("/a/..b/.c"), cleanpath("./a"), cleanpath("a/."));
	printf("c4 |%s|%s|\n", cleanpath("/a/b/c/../../../../x"), cleanpath("a//b///c"));
	exit(0);
}
