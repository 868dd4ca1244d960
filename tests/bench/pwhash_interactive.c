/* The reference of the creds benchmark: the seconds one crypto_pwhash_str
 * at INTERACTIVE limits takes here, averaged over N hashes.  A tool that
 * hashed every generated password that way would spend that per owner. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5;
	char out[crypto_pwhash_STRBYTES];
	struct timespec a, b;

	if (sodium_init() < 0 || n < 1)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < n; i++)
		if (crypto_pwhash_str(out, "correct horse battery", 21,
		                      crypto_pwhash_OPSLIMIT_INTERACTIVE,
		                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.6f\n", ((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9) / n);
	return 0;
}
