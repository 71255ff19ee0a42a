/* args: -q */
/* this-> variables live across the clauses of one probe firing; self->
   variables belong to the thread (BEGIN and END run in the dtrace thread);
   storing 0 into a self-> variable deletes it, so it reads as 0. */
BEGIN
{
	this->a = 5;
	self->b = 7;
	self->gone = 9;
}

BEGIN
{
	printf("this->a=%d self->b=%d\n", this->a, self->b);
	this->a = this->a + 1;
	self->gone = 0;
}

BEGIN
{
	printf("this->a=%d self->gone=%d\n", this->a, self->gone);
	exit(0);
}

END
{
	this->s = "local";
	printf("self->b=%d %s\n", self->b, this->s);
}
