/*
 * sched.d: the processor a probe fires on, as DTrace's sched provider
 * describes it.
 *
 * curcpu (a built-in variable) points at this CPU's cpuinfo_t. dtrace
 * writes one for every CPU before tracing starts (layout/memory.ts,
 * CpuInfoOff, must agree with the struct below), so reading it costs no
 * kernel data structure walk.
 */

typedef id_t psetid_t;		/* processor set id */
typedef id_t chipid_t;		/* physical package id */
typedef id_t lgrp_id_t;		/* locality group id */

typedef struct cpuinfo {
	processorid_t cpu_id;	/* CPU number */
	psetid_t cpu_pset;	/* processor set: Linux has none, always 0 */
	chipid_t cpu_chip;	/* physical package (socket) of the CPU */
	lgrp_id_t cpu_lgrp;	/* locality group: the CPU's NUMA node */
} cpuinfo_t;

inline psetid_t pset = curcpu->cpu_pset;
inline chipid_t chip = curcpu->cpu_chip;
inline lgrp_id_t lgrp = curcpu->cpu_lgrp;
