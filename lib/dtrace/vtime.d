/*
 * vtime.d: per-thread virtual time.
 *
 * vtimestamp is the nanoseconds the current thread has run on a CPU. The
 * scheduler adds to se.sum_exec_runtime at every tick and context switch;
 * the time run since then is "now" on the run queue's task clock minus
 * se.exec_start. The task clock leaves out interrupt and steal time, so
 * "now" is the run queue's last task-clock reading plus the time elapsed
 * since that reading (the run queue's clock and task clock are read
 * together). A close approximation: interrupt time since the last reading
 * counts as the thread's.
 */
inline uint64_t vtimestamp = (uint64_t)(curthread->se.sum_exec_runtime +
    (curthread->se.cfs_rq->rq->clock_task + (timestamp - curthread->se.cfs_rq->rq->clock) >
    curthread->se.exec_start ?
    curthread->se.cfs_rq->rq->clock_task + (timestamp - curthread->se.cfs_rq->rq->clock) -
    curthread->se.exec_start : 0));
