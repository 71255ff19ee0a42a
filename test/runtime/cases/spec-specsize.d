/* args: -q -x specsize=32 */
/*
 * A speculation holds at most specsize bytes of records, each counted as
 * DTrace counts it (16-byte header, rounded up to 8 bytes): a record that
 * would not fit is a speculative drop, and so is a clause whose record
 * alone is larger; the clause stops there.
 */
BEGIN { s = speculation(); n = 0; }
BEGIN { speculate(s); trace(1); n++; }
BEGIN { speculate(s); trace(2); n++; }
BEGIN { speculate(s); trace("a string longer than specsize"); n++; }
BEGIN { commit(s); }
BEGIN { printf("\nclauses that ran to the end: %d\n", n); exit(0); }
