// Integration test files run with NODE_ENV=test; the app's own env parsing applies.
process.env.LOG_LEVEL ??= 'silent';
