SET FORMAT=F20.8.
DATA LIST LIST /x (F8.0) s (A8) w (F20.8) m (F8.0).
BEGIN DATA.
 1 east 0.75 .
 2 south 1.25 .
 2 south 1.75 .
 3 '' 2.25 .
. north 0.50 .
 1 east 1.00 .
 3 south 1.50 .
 4 south 2.00 .
 2 west 0.25 .
 5 north 0.75 .
 2 east 1.25 .
 3 south 1.75 .
. south 2.25 .
 1 west 0.50 .
 2 north 1.00 .
 4 east 1.50 .
 4 '' 2.00 .
 2 south 0.25 .
 3 west 0.75 .
 2 north 1.25 .
 1 east 1.75 .
 5 south 2.25 .
 2 south 0.50 .
 3 west 1.00 .
 3 north 1.50 .
. east 2.00 .
 2 south 0.25 .
 1 south 0.75 .
 4 west 1.25 .
 2 north 1.75 .
 3 east 2.25 .
 2 south 0.50 .
 1 '' 1.00 .
 2 west 1.50 .
 3 north 2.00 .
 2 east 0.25 .
 4 south 0.75 .
 2 south 1.25 .
 3 west 1.75 .
 2 north 2.25 .
 2 east 0.50 .
 1 south 1.00 .
 3 south 1.50 .
 2 west 2.00 .
 5 north 0.25 .
 3 east 0.75 .
 2 south 1.25 .
 4 south 1.75 .
 2 west 2.25 .
 2 north 0.50 .
 3 east 1.00 .
 1 south 1.50 .
 2 south 2.00 .
 3 west 0.25 .
 2 north 0.75 .
 2 east 1.25 .
 3 south 1.75 .
 1 south 2.25 .
 2 west 0.50 .
 2 north 1.00 .
 2 east 1.50 .
END DATA.
MISSING VALUES s ('').
VALUE LABELS x 1 'one' 2 'two' 3 'three'.
FREQUENCIES /VARIABLES=x s /STATISTICS=NONE.
FREQUENCIES /VARIABLES=x s /FORMAT=DFREQ /STATISTICS=NONE.
WEIGHT BY w.
FREQUENCIES /VARIABLES=x s /STATISTICS=NONE.
FREQUENCIES /VARIABLES=x /FORMAT=AFREQ /STATISTICS=NONE.
FREQUENCIES /VARIABLES=m /STATISTICS=NONE.
WEIGHT OFF.
FREQUENCIES /VARIABLES=m /STATISTICS=NONE.
