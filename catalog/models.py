"""The content catalog: skills, courses, certifications, projects, data sets and tracks."""
