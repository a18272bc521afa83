library(testthat)
library(zhetysu)

test_check("zhetysu")
