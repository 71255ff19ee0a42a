/* Clauses: description lists, predicates, statements, aggregations. */
#pragma D option quiet

dtrace:::BEGIN, tick-1s, profile-997
/pid != 0 && execname == "sh"/
{
	self->ts = timestamp;
	this->n = arg0 + 1;
	@calls[probefunc, pid] = count();
	@ = quantize(this->n);
	printf("%s %d\n", execname, (int)this->n);
}

syscall::read*:return
/self->ts/
{
	if (arg0 < 0) {
		errors++;
	} else if (arg0 == 0)
		eof++;
	else
		@bytes = sum(arg0);
	self->ts = 0
}

END { printa(@calls); exit(0); }
