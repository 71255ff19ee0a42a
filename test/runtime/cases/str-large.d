/* args: -q */
/* At strsize=4000 every looping string function still loads (bpf_loop callbacks: the verifier checks each once, whatever strsize is), one clause each so scratch stays within 32 KiB. */
#pragma D option strsize=4000
BEGIN { s = "/usr/./lib/../bin//dtrace/"; }
BEGIN { printf("%s\n", cleanpath(s)); }
BEGIN { printf("%d %d\n", index(s, "dtrace"), rindex(s, "/")); }
BEGIN { printf("%s %s\n", strtok(s, "/"), strtok(NULL, "/")); }
BEGIN { printf("%s\n", toupper(s)); }
BEGIN { printf("%s %s\n", basename(s), dirname(s)); }
BEGIN { printf("%s\n", strchr(s, 'b')); }
BEGIN { printf("%s\n", strstr(s, "lib")); }
BEGIN { printf("%d %s\n", strtoll("  -0x1f", 16), lltostr(-31, 16)); }
BEGIN { printf("%s\n", substr(strjoin(s, s), -10, 5)); exit(0); }
