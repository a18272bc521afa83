#' Repatriates in the Zhetysu region: synthetic survey microdata
#'
#' **These data are synthetic. They reproduce the published aggregates of the
#' study by construction, so analyses of them confirm the code, not the
#' study.** The survey's raw data are not public: `repatriates` holds 787
#' made-up respondents whose joint distribution reproduces the numbers
#' published by Yenseyeva, Shedenova and Finke ("Social practices of
#' repatriate integration in Kazakhstan: the case of the Zhetysu region"), so
#' that the replication report runs and every function of the package can be
#' tried on data shaped like the study's.
#'
#' @format A data frame with 787 rows and 21 columns:
#' \describe{
#'   \item{id}{Respondent number, 1 to 787.}
#'   \item{gender}{Factor: `Male`, `Female`.}
#'   \item{age_group}{Ordered factor: `18-24`, `25-34`, `35-44`, `45-54`,
#'     `55-64`, `65+`.}
#'   \item{residence}{Factor, place of residence in the Zhetysu region:
#'     `Taldykorgan (urban - regional capital)`, `Tekeli (urban - city of
#'     regional significance)`, `Panfilov district (Zharkent) (semi-urban -
#'     district centre)`, `Sarkand (semi-urban - district centre)`, `Alakol
#'     District (Usharal) (semi-urban - district centre)`, `Karatal District
#'     (Ushtobe) (semi-urban - district centre)`, `Aksu District (rural)`,
#'     `Eskeldi District (rural)`, `Kerbulak District (rural)`, `Koksu District
#'     (rural)`.}
#'   \item{marital_status}{Factor: `Single (never married)`, `Married`,
#'     `Divorced`, `Widowed`.}
#'   \item{children}{Ordered factor, number of children: `No children`, `1-2
#'     children`, `3-4 children`, `More than 4 children`.}
#'   \item{education}{Ordered factor: `No formal education`, `Primary and
#'     general secondary education`, `Secondary vocational education
#'     (college)`, `Higher education (bachelor's degree)`, `Postgraduate
#'     education (master's, doctoral)`.}
#'   \item{employment}{Factor: `Employee in the public sector`, `Employee in
#'     the private sector`, `Entrepreneur`, `Self-employed`, `Student`,
#'     `Homemaker`, `Pensioner`, `Unemployed`, `Other`.}
#'   \item{material}{Factor, material well-being of the household:
#'     `Insufficient even for food`, `Enough for food, but buying clothes is
#'     difficult`, `Enough for daily expenses, but large purchases are
#'     difficult`, `Enough for all necessities, but cannot afford a car or
#'     housing`, `Enough for everything, including expensive purchases (car,
#'     housing, etc.)`, `Difficult to answer` (not ordered, because of the
#'     last category).}
#'   \item{country}{Factor, country of origin: `China (PRC)`, `Uzbekistan`,
#'     `Mongolia`, `Russia`, `Kyrgyzstan`, `Turkmenistan`.}
#'   \item{belonging}{Integer 1-5, "Do you feel that you are part of the
#'     local community?": 1 not at all, 2 rather not, 3 partly, 4 rather yes,
#'     5 fully.}
#'   \item{friends}{Integer 0-3, close friends among local residents: 0 none,
#'     1 one or two, 2 three to five, 3 more than five.}
#'   \item{norms}{Integer 1-4, understanding of local cultural norms and
#'     traditions: 1 not at all to 4 very well.}
#'   \item{leisure}{Integer 1-5, free time spent with local residents: 1 never
#'     to 5 very often.}
#'   \item{events}{Integer 1-5, participation in local cultural events: 1
#'     never to 5 very often.}
#'   \item{ngo}{Integer 1-4, participation in local public or
#'     non-governmental organisations: 1 never to 4 regularly.}
#'   \item{services}{Integer 1-5, accessibility of government services: 1
#'     very difficult to 5 very easy.}
#'   \item{admin}{Integer 1-4, difficulties with administrative procedures or
#'     obtaining legal status, coded so that higher means fewer difficulties:
#'     1 very often, 2 sometimes, 3 rarely, 4 never.}
#'   \item{discrimination}{Integer 1-4, discrimination experienced as a
#'     repatriate, coded so that higher means less: 1 often, 2 sometimes, 3
#'     rarely, 4 never.}
#'   \item{identity}{Integer 1-5, comfort in expressing one's cultural
#'     identity: 1 very uncomfortable to 5 very comfortable.}
#'   \item{legal_status}{Ordered factor: `Citizen of Kazakhstan`, `Permanent
#'     residence permit`, `Temporary residence permit`.}
#' }
#'
#' @section What is reproduced:
#' * Table 1: every count of the nine socio-demographic variables, exactly.
#' * Table 2: the Pearson chi-square of each of them against `belonging`,
#'   within 1% of the published value. The published p-values of education
#'   (.406) and material well-being (.152), and the published df of
#'   employment (28, where nine categories against five give 32), do not fit
#'   the statistics; the data match the statistics.
#' * Table 3: all 45 Pearson correlations between the ten items within .005
#'   of the published values, with every published significance mark
#'   (two-tailed, N = 787). Three in-text p-values are only approximate at
#'   three printed decimals (r = .013 gives p = .716, not .707).
#' * Legal status against belonging: Pearson chi-square 35.48, likelihood
#'   ratio 43.848 (df 8), linear-by-linear p = .055 (its statistic is not
#'   published), and mean belonging citizens > permanent residents >
#'   temporary residents.
#' * The directions the paper reports: mean belonging falls from each age
#'   group to the next; it is higher in each urban place (Taldykorgan,
#'   Tekeli) than in each semi-urban district centre, and there than in each
#'   rural district; higher among respondents from China and Mongolia than
#'   from Uzbekistan and Russia; higher among the married than the single,
#'   divorced or widowed; rising with the number of children; highest among
#'   students and public-sector employees; higher with a bachelor's or
#'   postgraduate degree than with primary or no education, and among the
#'   best-off than among the two poorest groups.
#'
#' @section Choices not fixed by the paper:
#' The item scales and their marginal counts, the legal-status counts (520
#' citizens, 190 permanent and 77 temporary residents; with these sizes the
#' linear-by-linear statistic can take a value with p = .055) and the coding
#' direction of `admin` and `discrimination` are not published; they are
#' chosen to be plausible and consistent with the signs of the published
#' correlations. Plausibility rules constrain the joint demographics: no
#' pensioners under 45 and at least 90% of them aged 55 or over, at least half
#' of the over-65s pensioners; at least 75% of students under 35 and none
#' aged 55 or over; no widowed students and no widowed 18-24s, at least 80%
#' of the widowed aged 45 or over, at most two divorced 18-24s; at least 80%
#' of 18-24s single and at least 80% childless, at most two of them with three
#' or more children, at most ten 25-34s with more than four; at least 70% of
#' singles childless, at most 40 married respondents without children; at
#' most six male homemakers. Every distribution of belonging within a group
#' has no category below 60% of the mean of its two neighbours (less one
#' respondent), temporary residents hardly ever "fully" belong (at most 3)
#' and say "not at all" at least as often as citizens.
#'
#' @source Synthesized with [synthesize_survey()] from the published tables
#'   (the package's `extdata` files `table1.csv`, `table2.csv`, `table3.csv`,
#'   `table3_stars.csv`, `legal_status.csv`) by the seeded script
#'   `data-raw/repatriates.R` in the package's source repository. The study:
#'   Yenseyeva, Shedenova and Finke, "Social practices of repatriate
#'   integration in Kazakhstan: the case of the Zhetysu region" (survey of 787
#'   repatriates, analysed in SPSS).
#' @seealso [repatriates_codebook] for the questions and codes.
#' @examples
#' str(repatriates)
#' table(repatriates$age_group)
#' tapply(repatriates$belonging, repatriates$age_group, mean)
#' chisq.test(table(repatriates$gender, repatriates$belonging))
#' cor_matrix(repatriates, c(belonging, friends, norms))
"repatriates"

#' Codebook of the `repatriates` data
#'
#' One row per code of each variable of [repatriates]: the question, the
#' type of the column, the code and its label, the number of respondents
#' with it, and the published source the variable reproduces.
#' **The data it describes are synthetic.**
#'
#' @format A data frame with columns `variable`, `question`, `type`
#'   (`"factor"`, `"ordered factor"` or `"integer"`), `code` (level position
#'   of a factor, value of an integer scale), `label`, `n` and `source`.
#' @source `data-raw/repatriates.R` in the package's source repository.
#' @examples
#' subset(repatriates_codebook, variable == "belonging")
"repatriates_codebook"
