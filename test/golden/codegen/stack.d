/* stack( ) into the record, stack( ) and sym( ) as keys, caller, stackdepth */
tick-1
{
	stack(3);
	@[stack(4)] = count();
	@s[sym(caller), mod(caller)] = count();
	trace(stackdepth);
}
