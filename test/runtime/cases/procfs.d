/* args: -q */
/* The D library's proc(4) translators on the current thread (dtrace
   itself, in BEGIN): each member against the built-in variable that says
   the same thing, then the whole psinfo_t stored in a variable. */
BEGIN
{
	printf("pr_pid %s\n", curpsinfo->pr_pid == pid ? "ok" : "WRONG");
	printf("pr_ppid %s\n", curpsinfo->pr_ppid == ppid ? "ok" : "WRONG");
	printf("pr_uid %s\n", curpsinfo->pr_uid == uid ? "ok" : "WRONG");
	printf("pr_gid %s\n", curpsinfo->pr_gid == gid ? "ok" : "WRONG");
	printf("pr_fname %s\n", curpsinfo->pr_fname == execname ? "ok" : "WRONG");
	printf("pr_addr %s\n", curpsinfo->pr_addr == (uintptr_t)curthread ? "ok" : "WRONG");
	printf("pr_nlwp %s\n", curpsinfo->pr_nlwp >= 1 ? "ok" : "WRONG");
	printf("pr_pgid %s\n", curpsinfo->pr_pgid == $pgid && curpsinfo->pr_sid == $sid ? "ok" : "WRONG");
	printf("pr_dmodel %s\n", curpsinfo->pr_dmodel == PR_MODEL_LP64 ? "ok" : "WRONG");
	printf("pr_start %s\n", curpsinfo->pr_start.tv_sec <= walltimestamp / 1000000000 ? "ok" : "WRONG");
	printf("pr_lwpid %s\n", curlwpsinfo->pr_lwpid == tid ? "ok" : "WRONG");
	printf("pr_name %s\n", curlwpsinfo->pr_name == execname ? "ok" : "WRONG");
	printf("pr_onpro %s\n", curlwpsinfo->pr_onpro == cpu ? "ok" : "WRONG");
	printf("pr_state %d %c\n", curlwpsinfo->pr_state, curlwpsinfo->pr_sname);
	printf("xlate %s\n", xlate<psinfo_t>(curthread).pr_pid == pid ? "ok" : "WRONG");
	p = *curpsinfo;
	printf("whole %s\n", p.pr_pid == pid && p.pr_lwp.pr_lwpid == tid && p.pr_fname == execname ? "ok" : "WRONG");
	exit(0);
}
