// The shipped D library's index: what each file of lib/dtrace/ defines, so
// that a script naming none of it reads none of it. Generated from the
// files by `UPDATE_DLIB=1 node --test dist/test/unit/dlib/`; the same test
// fails when this table and the files disagree.

import type { LibEntries } from './library.js';

export const SYSTEM_LIBRARY: Readonly<Record<string, LibEntries>> = {
  'errno.d': {
    types: [],
    tags: [],
    idents: ['EPERM', 'ENOENT', 'ESRCH', 'EINTR', 'EIO', 'ENXIO', 'E2BIG', 'ENOEXEC', 'EBADF', 'ECHILD', 'EAGAIN', 'ENOMEM', 'EACCES', 'EFAULT', 'ENOTBLK', 'EBUSY', 'EEXIST', 'EXDEV', 'ENODEV', 'ENOTDIR', 'EISDIR', 'EINVAL', 'ENFILE', 'EMFILE', 'ENOTTY', 'ETXTBSY', 'EFBIG', 'ENOSPC', 'ESPIPE', 'EROFS', 'EMLINK', 'EPIPE', 'EDOM', 'ERANGE', 'EDEADLK', 'ENAMETOOLONG', 'ENOLCK', 'ENOSYS', 'ENOTEMPTY', 'ELOOP', 'EWOULDBLOCK', 'ENOMSG', 'EIDRM', 'ECHRNG', 'EL2NSYNC', 'EL3HLT', 'EL3RST', 'ELNRNG', 'EUNATCH', 'ENOCSI', 'EL2HLT', 'EBADE', 'EBADR', 'EXFULL', 'ENOANO', 'EBADRQC', 'EBADSLT', 'EDEADLOCK', 'EBFONT', 'ENOSTR', 'ENODATA', 'ETIME', 'ENOSR', 'ENONET', 'ENOPKG', 'EREMOTE', 'ENOLINK', 'EADV', 'ESRMNT', 'ECOMM', 'EPROTO', 'EMULTIHOP', 'EDOTDOT', 'EBADMSG', 'EOVERFLOW', 'ENOTUNIQ', 'EBADFD', 'EREMCHG', 'ELIBACC', 'ELIBBAD', 'ELIBSCN', 'ELIBMAX', 'ELIBEXEC', 'EILSEQ', 'ERESTART', 'ESTRPIPE', 'EUSERS', 'ENOTSOCK', 'EDESTADDRREQ', 'EMSGSIZE', 'EPROTOTYPE', 'ENOPROTOOPT', 'EPROTONOSUPPORT', 'ESOCKTNOSUPPORT', 'EOPNOTSUPP', 'EPFNOSUPPORT', 'EAFNOSUPPORT', 'EADDRINUSE', 'EADDRNOTAVAIL', 'ENETDOWN', 'ENETUNREACH', 'ENETRESET', 'ECONNABORTED', 'ECONNRESET', 'ENOBUFS', 'EISCONN', 'ENOTCONN', 'ESHUTDOWN', 'ETOOMANYREFS', 'ETIMEDOUT', 'ECONNREFUSED', 'EHOSTDOWN', 'EHOSTUNREACH', 'EALREADY', 'EINPROGRESS', 'ESTALE', 'EUCLEAN', 'ENOTNAM', 'ENAVAIL', 'EISNAM', 'EREMOTEIO', 'EDQUOT', 'ENOMEDIUM', 'EMEDIUMTYPE', 'ECANCELED', 'ENOKEY', 'EKEYEXPIRED', 'EKEYREVOKED', 'EKEYREJECTED', 'EOWNERDEAD', 'ENOTRECOVERABLE', 'ERFKILL', 'EHWPOISON'],
    xlators: [],
    depends: [],
  },
  'ip.d': {
    types: ['ipaddr_t'],
    tags: [],
    idents: [],
    xlators: [],
    depends: [],
  },
  'net.d': {
    types: [],
    tags: [],
    idents: ['AF_INET', 'AF_INET6', 'ARPHRD_ETHER', 'ARPHRD_INFINIBAND'],
    xlators: [],
    depends: [],
  },
  'procfs.d': {
    types: ['timestruc_t', 'lwpsinfo_t', 'taskid_t', 'projid_t', 'poolid_t', 'zoneid_t', 'ctid_t', 'psinfo_t'],
    tags: ['struct timestruc', 'struct lwpsinfo', 'struct psinfo'],
    idents: ['SSLEEP', 'SRUN', 'SZOMB', 'SSTOP', 'SIDL', 'SONPROC', 'SWAIT', 'PR_STOPPED', 'PR_ISTOP', 'PR_DSTOP', 'PR_ISSYS', 'PR_IDLE', 'PR_MODEL_ILP32', 'PR_MODEL_LP64', 'PRNODEV', 'curpsinfo', 'curlwpsinfo'],
    xlators: ['timestruc_t', 'lwpsinfo_t', 'psinfo_t'],
    depends: ['sched.d'],
  },
  'sched.d': {
    types: ['psetid_t', 'chipid_t', 'lgrp_id_t', 'cpuinfo_t'],
    tags: ['struct cpuinfo'],
    idents: ['pset', 'chip', 'lgrp'],
    xlators: [],
    depends: [],
  },
  'signal.d': {
    types: [],
    tags: [],
    idents: ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGIOT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPOLL', 'SIGPWR', 'SIGSYS', 'SIGRTMIN', 'SIGRTMAX'],
    xlators: [],
    depends: [],
  },
  'vtime.d': {
    types: [],
    tags: [],
    idents: ['vtimestamp'],
    xlators: [],
    depends: [],
  },
};
