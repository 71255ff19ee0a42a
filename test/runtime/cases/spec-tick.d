/* args: -q */
/*
 * Speculations across probe firings: each tick takes a speculation,
 * records into it in two clauses, and commits every third, discarding the
 * others.
 */
BEGIN { n = 0; }
tick-10ms /n < 9/ { s = speculation(); }
tick-10ms /n < 9/ { speculate(s); printf("%d:", n); }
tick-10ms /n < 9/ { speculate(s); printf(" kept\n"); }
tick-10ms /n < 9 && n % 3 == 0/ { commit(s); }
tick-10ms /n < 9 && n % 3 != 0/ { discard(s); }
tick-10ms { n++; }
tick-10ms /n == 10/ { exit(0); }
