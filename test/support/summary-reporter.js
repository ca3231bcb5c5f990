// Ends every test run with the one line CI reads: "N passed, N failed[, N skipped]".
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const skipped = results.numPendingTests + results.numTodoTests;
		// Suites that crash before running any test count as failures too.
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		const tail = skipped ? `, ${skipped} skipped` : '';
		process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed${tail}\n`);
	}
}
module.exports = SummaryReporter;
