"""Arabic number formats beyond Django's own (which it still supplies for everything not named here).

Django's Arabic locale sets a thousands separator but no grouping, so a figure asked for with grouping
(the search page's capped count) came out as "10000". Three-digit groups, with Django's separator."""

NUMBER_GROUPING = 3
