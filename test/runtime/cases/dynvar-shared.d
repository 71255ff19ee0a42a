/* args: -q -x dynvarsize=15 */
/*
 * Every dynamic variable shares one space of dynvarsize bytes, as in
 * DTrace: 15 bytes hold three int thread-locals of any names, so the
 * fourth store is a drop and drops its whole clause, printf( ) included;
 * deleting one makes room.
 */
BEGIN
{
	self->a = 1;
	self->b = 2;
	self->c = 3;
	printf("never printed: the clause is dropped\n");
	self->d = 4;
	printf("not reached either\n");
}

BEGIN
{
	self->a = 0;
	self->d = 4;
	printf("%d %d %d %d\n", self->a, self->b, self->c, self->d);
	exit(0);
}
