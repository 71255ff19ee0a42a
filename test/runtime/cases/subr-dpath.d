/* args: -q */
/*
 * d_path( ) of the current task's root is "/", through a kernel pointer
 * or a struct path built in alloca( ) memory; a NULL path is an invalid
 * address. (Paths of files and mount crossings: test/runtime/dtrace/dpath.test.ts.)
 */
BEGIN
{
	printf("%s\n", d_path(&curthread->fs->root));
	p = (struct path *)alloca(sizeof (struct path));
	p->mnt = curthread->fs->root.mnt;
	p->dentry = curthread->fs->root.dentry;
	printf("%s\n", d_path(p));
	step = 1;
}

BEGIN
{
	trace(d_path((struct path *)0));
}

BEGIN
{
	exit(0);
}

ERROR
{
	printf("ERROR: fault %d addr %d\n", arg4, arg5);
}
