/* args: -q */
/* curcpu points at this CPU's cpuinfo_t; pset, chip and lgrp are the D
   library's inlines reading it. Linux has no processor sets. */
BEGIN
{
	printf("cpu_id %s\n", curcpu->cpu_id == cpu ? "ok" : "WRONG");
	printf("pset %d\n", pset);
	printf("chip %s\n", chip >= 0 && chip == curcpu->cpu_chip ? "ok" : "WRONG");
	printf("lgrp %s\n", lgrp >= 0 && lgrp == curcpu->cpu_lgrp ? "ok" : "WRONG");
}

profile-997
/n++ < 5/
{
	printf("%s\n", curcpu->cpu_id == cpu ? "ok" : "WRONG");
}

profile-997
/n >= 5/
{
	exit(0);
}
