/* args: -q */
/* curthread is the kernel's struct task_struct of the current thread: its
   members hold what the built-in variables report (pid is the thread
   group, tid the thread, execname the comm, ppid the parent's thread
   group), in BEGIN (the dtrace thread) and in a profile probe (whatever
   thread the CPU is running). trace() of the char array comm is a raw
   dump of its 16 bytes. */
BEGIN
{
	printf("BEGIN pid %d tgid %d tid %d\n", curthread->pid == tid, curthread->tgid == pid, (*curthread).pid == tid);
	printf("BEGIN comm %d ppid %d\n", stringof(curthread->comm) == execname, curthread->real_parent->tgid == ppid);
	printf("BEGIN parent %d self %d\n", curthread->real_parent != curthread, &curthread->pid != 0);
	printf("BEGIN ppid %d\n", ppid > 0 && ppid != pid);
	trace(curthread->comm);
}

tick-10ms
/n++ < 5/
{
	printf("tick pid %d tgid %d comm %d ppid %d\n", curthread->pid == tid, curthread->tgid == pid,
	    stringof(curthread->comm) == execname, curthread->real_parent->tgid == ppid);
}

tick-10ms
/n == 6/
{
	exit(0);
}
