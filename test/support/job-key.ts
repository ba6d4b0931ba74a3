/** The job key the tests' bots and workers share (HARBORMASTER_JOB_KEY). */
export const TEST_JOB_KEY = 'harbormaster-test-job-key-0123456789abcdef';
