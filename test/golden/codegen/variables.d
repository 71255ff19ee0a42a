/* Globals, thread-locals (self->) and clause-locals (this->); ++ creates
   an int. */
#pragma D option strsize=32

BEGIN
{
	self->a = 1;
	this->b = (short)2;
	n++;
	s = "str";
	trace(self->a + this->b + n);
	trace(s);
}
