/*
 * procfs.d: the process model of proc(4) -- psinfo_t for a process,
 * lwpsinfo_t for a thread -- translated from the running kernel's
 * struct task_struct, whose layout comes from the kernel's BTF. curpsinfo
 * and curlwpsinfo translate the current thread.
 *
 * Members Linux has no counterpart for are left out of the translators
 * (using one is D_XLATE_NOCONV); members Linux has but not quite as
 * Solaris does are commented where they are translated. Offsets and
 * flags below are x86-64 Linux's.
 */

#pragma D depends_on library sched.d

/* A time as seconds and nanoseconds. */
typedef struct timestruc {
	long tv_sec;
	long tv_nsec;
} timestruc_t;

/* Nanoseconds as a timestruc_t. */
translator timestruc_t < uint64_t ns > {
	tv_sec = ns / 1000000000;
	tv_nsec = ns % 1000000000;
};

/* Thread states (pr_state) and their letters (pr_sname). */
inline char SSLEEP = 1;		/* waiting for an event: 'S' */
inline char SRUN = 2;		/* runnable: 'R' */
inline char SZOMB = 3;		/* exited, not yet waited for: 'Z' */
inline char SSTOP = 4;		/* stopped by a signal or a tracer: 'T' */
inline char SIDL = 5;		/* being created: 'I' */
inline char SONPROC = 6;	/* running on a processor: 'O' */
inline char SWAIT = 7;		/* waiting to be runnable: 'W' */

/* Flags (pr_flag). */
inline int PR_STOPPED = 0x00000001;	/* the thread is stopped */
inline int PR_ISTOP = 0x00000002;	/* stopped on an event of interest */
inline int PR_DSTOP = 0x00000004;	/* a stop directive is in effect */
inline int PR_ISSYS = 0x00000200;	/* a system (kernel) process */
inline int PR_IDLE = 0x10000000;	/* the thread is a CPU's idle thread */

/* Data models (pr_dmodel). */
inline char PR_MODEL_ILP32 = 1;
inline char PR_MODEL_LP64 = 2;

/* No controlling terminal (pr_ttydev). */
inline ulong_t PRNODEV = 0xffffffffffffffff;

typedef struct lwpsinfo {
	int pr_flag;			/* PR_STOPPED, PR_IDLE */
	id_t pr_lwpid;			/* thread id */
	uintptr_t pr_addr;		/* address of the task_struct */
	uintptr_t pr_wchan;		/* wait address: not known on Linux, 0 */
	char pr_stype;			/* type of object waited on: none, 0 */
	char pr_state;			/* SSLEEP, SRUN, ... */
	char pr_sname;			/* the state's letter */
	char pr_nice;			/* nice value */
	short pr_syscall;		/* system call number (not translated) */
	char pr_oldpri;			/* (not translated) */
	char pr_cpu;			/* (not translated) */
	int pr_pri;			/* the kernel's priority: lower runs first */
	ushort_t pr_pctcpu;		/* (not translated) */
	ushort_t pr_pad;
	timestruc_t pr_start;		/* when the thread was created */
	timestruc_t pr_time;		/* user and system CPU time */
	char pr_clname[8];		/* scheduling class, as ps(1) names it */
	char pr_name[16];		/* thread name */
	processorid_t pr_onpro;		/* CPU it runs or last ran on */
	processorid_t pr_bindpro;	/* CPU it is bound to, or -1 */
	psetid_t pr_bindpset;		/* processor set binding: none, -1 */
	int pr_lgrp;			/* home locality group (not translated) */
	int pr_filler[4];
} lwpsinfo_t;

typedef id_t taskid_t;
typedef id_t projid_t;
typedef id_t poolid_t;
typedef id_t zoneid_t;
typedef id_t ctid_t;

typedef struct psinfo {
	int pr_flag;			/* PR_ISSYS for a kernel thread */
	int pr_nlwp;			/* number of threads */
	pid_t pr_pid;			/* process id */
	pid_t pr_ppid;			/* parent's process id */
	pid_t pr_pgid;			/* process group id */
	pid_t pr_sid;			/* session id */
	uid_t pr_uid;			/* real user id */
	uid_t pr_euid;			/* effective user id */
	gid_t pr_gid;			/* real group id */
	gid_t pr_egid;			/* effective group id */
	uintptr_t pr_addr;		/* address of the task_struct */
	size_t pr_size;			/* virtual size in Kbytes */
	size_t pr_rssize;		/* resident set size in Kbytes */
	size_t pr_pad1;
	ulong_t pr_ttydev;		/* controlling terminal, or PRNODEV */
	ushort_t pr_pctcpu;		/* (not translated) */
	ushort_t pr_pctmem;		/* (not translated) */
	timestruc_t pr_start;		/* when the process started */
	timestruc_t pr_time;		/* user and system CPU time */
	timestruc_t pr_ctime;		/* CPU time of waited-for children */
	char pr_fname[16];		/* name of the program */
	char pr_psargs[80];		/* arguments (not translated) */
	int pr_wstat;			/* wait status of a zombie */
	int pr_argc;			/* (not translated) */
	uintptr_t pr_argv;		/* (not translated) */
	uintptr_t pr_envp;		/* (not translated) */
	char pr_dmodel;			/* PR_MODEL_ILP32 or PR_MODEL_LP64 */
	char pr_pad2[3];
	taskid_t pr_taskid;		/* Linux has no tasks: 0 */
	projid_t pr_projid;		/* Linux has no projects: 0 */
	int pr_nzomb;			/* zombie threads: 0 */
	poolid_t pr_poolid;		/* Linux has no pools: 0 */
	zoneid_t pr_zoneid;		/* Linux has no zones: 0 */
	ctid_t pr_contract;		/* Linux has no contracts: 0 */
	int pr_filler[1];
	lwpsinfo_t pr_lwp;		/* the thread translated */
} psinfo_t;

/*
 * A thread's state: its exit state first, then the bits of __state
 * (TASK_INTERRUPTIBLE 0x1, TASK_UNINTERRUPTIBLE 0x2, __TASK_STOPPED 0x4,
 * __TASK_TRACED 0x8, TASK_PARKED 0x40, TASK_NEW 0x800); a runnable
 * thread is SONPROC while a CPU runs it.
 */
translator lwpsinfo_t < struct task_struct *T > {
	pr_flag = ((T->__state & 0xc) ? PR_STOPPED : 0) | (T->pid == 0 ? PR_IDLE : 0);
	pr_lwpid = T->pid;
	pr_addr = (uintptr_t)T;
	pr_wchan = 0;
	pr_stype = 0;
	pr_state = T->exit_state != 0 ? SZOMB :
	    (T->__state & 0xc) ? SSTOP :
	    (T->__state & 0x43) ? SSLEEP :
	    (T->__state & 0x800) ? SIDL :
	    T->on_cpu ? SONPROC : SRUN;
	pr_sname = T->exit_state != 0 ? 'Z' :
	    (T->__state & 0xc) ? 'T' :
	    (T->__state & 0x43) ? 'S' :
	    (T->__state & 0x800) ? 'I' :
	    T->on_cpu ? 'O' : 'R';
	pr_pri = T->prio;
	pr_start = xlate <timestruc_t> (T->start_time + (walltimestamp - timestamp));
	pr_time = xlate <timestruc_t> (T->utime + T->stime);
	/* SCHED_OTHER 0, SCHED_FIFO 1, SCHED_RR 2, SCHED_BATCH 3, SCHED_IDLE 5, SCHED_DEADLINE 6, SCHED_EXT 7 */
	pr_clname = T->policy == 0 ? "TS" : T->policy == 1 ? "FF" : T->policy == 2 ? "RR" :
	    T->policy == 3 ? "B" : T->policy == 5 ? "IDL" : T->policy == 6 ? "DLN" :
	    T->policy == 7 ? "EXT" : "?";
	pr_name = T->comm;
	pr_onpro = T->thread_info.cpu;
	pr_bindpro = T->nr_cpus_allowed == 1 ? T->thread_info.cpu : -1;
	pr_bindpset = -1;
};

/*
 * A process, seen from one of its threads. Its times add the thread's to
 * those the process keeps for threads that have exited, so they are exact
 * for single-threaded processes. The terminal is numbered as stat(2)
 * numbers devices. pr_size, pr_rssize and pr_nice are left untranslated,
 * as DTrace on Linux leaves them (using them is D_XLATE_NOCONV).
 */
translator psinfo_t < struct task_struct *T > {
	pr_flag = (T->flags & 0x00200000) ? PR_ISSYS : 0;
	pr_nlwp = T->signal->nr_threads;
	pr_pid = T->tgid;
	pr_ppid = T->real_parent->tgid;
	pr_pgid = T->signal->pids[2]->numbers[0].nr;
	pr_sid = T->signal->pids[3]->numbers[0].nr;
	pr_uid = T->real_cred->uid.val;
	pr_euid = T->cred->euid.val;
	pr_gid = T->real_cred->gid.val;
	pr_egid = T->cred->egid.val;
	pr_addr = (uintptr_t)T;
	pr_ttydev = T->signal->tty == 0 ? PRNODEV :
	    T->signal->tty->driver->major << 8 |
	    ((T->signal->tty->driver->minor_start + T->signal->tty->index) & 0xff) |
	    ((T->signal->tty->driver->minor_start + T->signal->tty->index) & ~0xff) << 12;
	pr_start = xlate <timestruc_t> (T->group_leader->start_time + (walltimestamp - timestamp));
	pr_time = xlate <timestruc_t> (T->signal->utime + T->signal->stime + T->utime + T->stime);
	pr_ctime = xlate <timestruc_t> (T->signal->cutime + T->signal->cstime);
	pr_fname = T->group_leader->comm;
	pr_wstat = T->exit_state != 0 ? T->exit_code : 0;
	/* A 32-bit process has MM_CONTEXT_UPROBE_IA32 (bit 0) in its mm context. */
	pr_dmodel = T->mm != 0 && (T->mm->context.flags & 1) ? PR_MODEL_ILP32 : PR_MODEL_LP64;
	pr_taskid = 0;
	pr_projid = 0;
	pr_nzomb = 0;
	pr_poolid = 0;
	pr_zoneid = 0;
	pr_contract = 0;
	pr_lwp = xlate <lwpsinfo_t> (T);
};

inline psinfo_t *curpsinfo = xlate <psinfo_t *> (curthread);
inline lwpsinfo_t *curlwpsinfo = xlate <lwpsinfo_t *> (curthread);
