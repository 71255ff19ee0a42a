/* A predicate with a string comparison, && and ||, and printf of a string
   and built-in variables. */
tick-1s
/execname == "init" && pid != 0 || tid == 1/
{
	printf("%s %d\n", execname, pid);
}
