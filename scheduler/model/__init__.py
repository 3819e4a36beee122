"""The CP-SAT timetabling model: options, variables, constraint families, objective, solving."""
