// Placeholder replaced when the evaluator lands.
throw new Error('evaluator not built yet');
