/* The reference of the login benchmark: crypto_pwhash_str_verify on one
 * argon2id hash at INTERACTIVE limits, in THREADS threads for SECONDS: the
 * most logins a second this machine can check.
 * usage: pwverify THREADS SECONDS   prints verifications per second */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static char hash[crypto_pwhash_STRBYTES];
static double seconds;
static long counts[64];

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *work(void *arg)
{
	long *n = arg;
	double end = now() + seconds;
	while (now() < end) {
		if (crypto_pwhash_str_verify(hash, "a fine password 1", 17) != 0)
			abort();
		(*n)++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 2;
	seconds = argc > 2 ? atof(argv[2]) : 5;
	pthread_t t[64];
	if (sodium_init() < 0 || threads < 1 || threads > 64)
		return 1;
	if (crypto_pwhash_str(hash, "a fine password 1", 17, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return 1;
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, work, &counts[i]);
	long total = 0;
	for (int i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		total += counts[i];
	}
	printf("%.1f\n", (double)total / seconds);
	return 0;
}
