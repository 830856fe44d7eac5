"""One router per product noun: the public catalog, the learner's own data, the mentor's mentees."""
