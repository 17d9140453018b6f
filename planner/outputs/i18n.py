"""The words people read, in Finnish, Swedish and English: headings, column headers, calendar texts.

`--lang fi|sv|en` (default `scenario.toml [report] language`) picks the language of the report,
the workbook's sheet names and headers, the roster grids and the calendar files. The CSV files
keep their English snake_case headers: they are the machine-readable contract (README.md).
Terminal messages stay English.

Display names come from the scenario: points.csv `name`, providers.csv `name`, advisors.csv and
officials.csv `name`. For the six providers the fact sheet names (kela, vero, poliisi, te,
maistraatti, kunta) the Finnish and Swedish reports use the agencies' own names in that
language; any other provider keeps its providers.csv name in every language.

Register: public-sector Finnish and Swedish as the agencies write them (asiointipiste /
servicepunkt, neuvoja / rådgivare, henkilötyövuosi (htv) / årsverke, työvuoroluettelo /
arbetsschema).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

LANGUAGES = ("fi", "sv", "en")

# key → (en, fi, sv)
TEXTS: dict[str, tuple[str, str, str]] = {
    # report structure
    "title": ("Plan: {name}", "Suunnitelma: {name}", "Plan: {name}"),
    "headline": ("Headline", "Tiivistelmä", "Sammanfattning"),
    "for_points": ("Service points: staff needed and what it costs", "Asiointipisteet: tarvittava henkilöstö ja sen kustannus",
                   "Servicepunkter: behövd personal och vad den kostar"),
    "for_providers": ("State providers: outreach and compensation", "Valtion palveluntuottajat: jalkautuminen ja korvaukset",
                      "Statliga tjänsteproducenter: uppsökande service och ersättningar"),
    "risks": ("The three largest risks", "Kolme suurinta riskiä", "De tre största riskerna"),
    "no_risks": ("No risk found: every point is staffed for its peak month and every roster covers the counter.",
                 "Riskejä ei löytynyt: jokaisella pisteellä on henkilöstöä huippukuukauden tarpeeseen ja työvuorot kattavat palvelun.",
                 "Inga risker hittades: varje punkt har personal för sin toppmånad och arbetsschemana täcker disken."),
    "demand": ("Demand by provider", "Kysyntä palveluntuottajittain", "Efterfrågan per tjänsteproducent"),
    "advisors_needed": ("Advisors needed", "Tarvittavat neuvojat", "Behövda rådgivare"),
    "required_scheduled": ("Required and scheduled advisors (sizing plan)",
                           "Tarvittavat ja suunnitellut neuvojat (mitoitus)",
                           "Behövda och planerade rådgivare (dimensionering)"),
    "workload": ("Counter workload by provider", "Asiakaspalvelun työmäärä palveluntuottajittain",
                 "Arbetsmängd vid disken per tjänsteproducent"),
    "rosters": ("Rosters", "Työvuoroluettelot", "Arbetsscheman"),
    "week_grids": ("Week rosters to publish", "Julkaistavat viikkotyövuorolistat", "Veckoscheman att publicera"),
    "outreach": ("Outreach calendar and routes", "Jalkautumiskalenteri ja reitit", "Kalender och rutter för uppsökande service"),
    "costs": ("Costs", "Kustannukset", "Kostnader"),
    "pareto": ("Cost against access", "Kustannus ja saavutettavuus", "Kostnad och tillgänglighet"),
    "solver": ("How good the plan is (solver results)", "Suunnitelman laatu (ratkaisijan tulokset)",
               "Planens kvalitet (lösarens resultat)"),
    "solver_note": ("Objective: the plan's cost in the step's own units; best bound: no plan can cost less; gap: "
                    "(objective − bound) ÷ objective. OPTIMAL means proven; FEASIBLE means the work budget stopped "
                    "the search with the gap shown, or a roster made in work periods stays above its bound. A roster made in work "
                    "periods has as its bound the larger of two that hold whatever the other periods roster: the LP "
                    "relaxation of the whole roster (cover and every advisor's hours across all periods together), and "
                    "a Lagrangian bound: the sum of a bound on each period alone, per period either without contract balance and fairness "
                    "counts or with each advisor's hours priced at the LP's duals (whichever makes the sum largest), "
                    "plus the least the balances can cost at the prices chosen; "
                    "each period's own row gives its bound given the periods before it.",
                    "Tavoitefunktio: suunnitelman kustannus vaiheen omissa yksiköissä; paras raja: mikään suunnitelma ei "
                    "voi maksaa vähemmän; optimiväli: (tavoitefunktio − raja) ÷ tavoitefunktio. OPTIMAL tarkoittaa todistettua; "
                    "FEASIBLE tarkoittaa, että laskentabudjetti pysäytti haun näytetyllä optimivälillä tai että jaksoittain "
                    "laadittu luettelo jää rajansa yläpuolelle. Jaksoittain laaditun luettelon raja pätee "
                    "muiden jaksojen vuoroista riippumatta: suurempi koko luettelon LP-relaksaatiosta (kattavuus ja "
                    "kaikkien neuvojien tunnit kaikkien jaksojen yli) ja Lagrangen rajasta: kunkin jakson oman rajan "
                    "summa (jakso yksinään), jaksoittain joko ilman sopimussaldoa ja tasapuolisuuslaskureita tai neuvojien tunnit LP:n "
                    "duaalihinnoin hinnoiteltuina (kumpi summan suurentaa), ja "
                    "lisäksi saldojen pienin mahdollinen kustannus valituilla hinnoilla; kunkin jakson oma rivi antaa "
                    "sen rajan edellisten jaksojen mukaan.",
                    "Målfunktion: planens kostnad i stegets egna enheter; bästa gräns: ingen plan kan kosta mindre; "
                    "gap: (målfunktion − gräns) ÷ målfunktion. OPTIMAL betyder bevisat; FEASIBLE betyder att "
                    "beräkningsbudgeten stoppade sökningen med det gap som visas, eller att ett schema i "
                    "arbetsperioder ligger över sin gräns. Ett schema i arbetsperioder har en gräns som gäller "
                    "oavsett de andra periodernas scheman: den största av hela schemats LP-relaxation (täckning och alla "
                    "rådgivares timmar över alla perioder) och en Lagrangegräns: summan av en gräns för varje period ensam, "
                    "per period antingen utan avtalssaldo och rättviseräknare eller med varje rådgivares timmar prissatta "
                    "till LP:ns dualpriser (det som ger störst summa), plus det "
                    "minsta saldona kan kosta till de valda priserna; varje periods egen rad ger dess gräns givet "
                    "perioderna före."),
    "objective_staffing": ("penalty points of the shift-cover sizing model (shortfall, surplus, paid hours)",
                           "mitoitusmallin sakkopisteet (vajaus, ylitys, palkalliset tunnit)",
                           "dimensioneringsmodellens straffpoäng (underskott, överskott, betalda timmar)"),
    "objective_roster": ("penalty points of the roster's soft rules (violations.csv)",
                         "työvuorojen joustavien sääntöjen sakkopisteet (violations.csv)",
                         "straffpoäng för schemats mjuka regler (violations.csv)"),
    "objective_roster_periods": ("penalty points of the roster's soft rules (violations.csv); made in {n} work "
                                 "periods: the bound is the larger of the whole roster's LP relaxation and a Lagrangian bound "
                                 "(each period alone, its hours and fairness counts priced where that raises the sum)",
                                 "työvuorojen joustavien sääntöjen sakkopisteet (violations.csv); laadittu {n} "
                                 "jaksossa: raja on suurempi koko luettelon LP-relaksaatiosta ja Lagrangen rajasta (kukin jakso "
                                 "yksinään, tunnit ja tasapuolisuuslaskurit hinnoiteltuina, missä se nostaa summaa)",
                                 "straffpoäng för schemats mjuka regler (violations.csv); gjort i {n} "
                                 "arbetsperioder: gränsen är den största av hela schemats LP-relaxation och en Lagrangegräns "
                                 "(varje period ensam, timmar och rättviseräknare prissatta där det höjer summan)"),
    "objective_roster_period": ("penalty points of this work period's soft rules; its bound and gap are this "
                                "period's, given the periods before it",
                                "tämän jakson joustavien sääntöjen sakkopisteet; raja ja ero ovat tämän jakson, "
                                "edellisten jaksojen mukaan",
                                "straffpoäng för denna arbetsperiods mjuka regler; gränsen och gapet är periodens, "
                                "givet perioderna före"),
    "work_period": ("work period", "jakso", "arbetsperiod"),
    "objective_outreach": ("€: official cost + λ × residents' access cost, λ = {lam}",
                           "€: virkamiesten kustannus + λ × asukkaiden saavutettavuuskustannus, λ = {lam}",
                           "€: tjänstemännens kostnad + λ × invånarnas tillgänglighetskostnad, λ = {lam}"),
    "all_points": ("all points", "kaikki pisteet", "alla punkter"),
    "violations": ("Violations and unmet demand", "Sääntörikkeet ja kattamaton kysyntä", "Regelbrott och otäckt efterfrågan"),
    "contents": ("Contents", "Sisältö", "Innehåll"),
    "footer": ("Place coordinates: GeoNames, geonames.org, CC BY 4.0. Map background: Natural Earth (public domain).",
               "Paikkojen koordinaatit: GeoNames, geonames.org, CC BY 4.0. Kartan tausta: Natural Earth (vapaa käyttö).",
               "Ortskoordinater: GeoNames, geonames.org, CC BY 4.0. Kartbakgrund: Natural Earth (allmän egendom)."),
    # headline texts
    "point_line": ("{point} needs {need} {need|person|persons} ({fte} FTE) in {month}; {have} on staff ({have_fte} FTE).",
                   "{point}: tarvitaan {need} {need|henkilö|henkilöä} ({fte} htv), mitoittava kuukausi {month}; nimettyjä "
                   "{have} ({have_fte} htv).",
                   "{point} behöver {need} {need|person|personer} ({fte} årsverken) i {month}; anställda {have} ({have_fte} "
                   "årsverken)."),
    "cost_note": ("Staffing cost = paid hours × {rate} €/h, over a year (the horizon scaled to 12 months). "
                  "Each provider's share is its counter workload at the same rate: the basis of what it compensates the "
                  "host municipality.",
                  "Henkilöstökustannus = palkalliset tunnit × {rate} €/h vuodessa (suunnittelujakso muunnettuna 12 kuukauteen). "
                  "Kunkin palveluntuottajan osuus on sen asiakaspalvelun työmäärä samalla tuntihinnalla: peruste sille, mitä "
                  "se korvaa isäntäkunnalle.",
                  "Personalkostnad = betalda timmar × {rate} €/h per år (planeringsperioden omräknad till 12 månader). "
                  "Varje producents andel är dess arbetsmängd vid disken till samma timpris: grunden för vad den ersätter "
                  "värdkommunen."),
    "persons_note": ("Persons needed = the larger of the monthly headcount (FTE rounded up, at least {named} named) and "
                     "the most different people the sizing shift plan puts on one day.",
                     "Tarvittavat henkilöt = suurempi luvuista: kuukauden henkilömäärä (htv ylöspäin pyöristettynä, vähintään "
                     "{named} nimettyä) ja suurin eri henkilöiden määrä, jonka mitoituksen vuorosuunnitelma tarvitsee samana päivänä.",
                     "Behövda personer = det större av månadens antal (årsverken avrundade uppåt, minst {named} namngivna) och "
                     "det största antalet olika personer som dimensioneringens skiftplan behöver samma dag."),
    "probability_note": ("Probability that today's staff suffices: share of {n} drawn demand scenarios in which the "
                         "point's FTE less shrinkage covers the need in every month.",
                         "Todennäköisyys, että nykyinen henkilöstö riittää: niiden {n} arvotun kysyntäskenaarion osuus, "
                         "joissa pisteen htv:t poissaolovaralla vähennettyinä kattavat tarpeen joka kuukausi.",
                         "Sannolikhet att dagens personal räcker: andelen av {n} slumpade efterfrågescenarier där punktens "
                         "årsverken minus bortfall täcker behovet varje månad."),
    "probability_missing": ("Probability that today's staff suffices: not computed (run `planner plan … --samples 20` "
                            "or `--sweep DIR` with a `planner sweep` folder).",
                            "Todennäköisyyttä, että nykyinen henkilöstö riittää, ei laskettu (aja `planner plan … --samples 20` "
                            "tai `--sweep KANSIO`).",
                            "Sannolikheten att dagens personal räcker har inte beräknats (kör `planner plan … --samples 20` "
                            "eller `--sweep MAPP`)."),
    # the status quo is today's visits (status_quo_visits.csv), of whatever year the scenario is
    "outreach_note": ("Outreach cost = car + travel salary + productivity loss of this plan's visits, against the "
                      "status quo (today's visits) scored by the same cost model.",
                      "Jalkautumisen kustannus = auto + matka-ajan palkka + tuottavuuden menetys tämän suunnitelman "
                      "käynneistä verrattuna nykytilaan (nykyiset käynnit) samalla kustannusmallilla.",
                      "Kostnad för uppsökande service = bil + lön för restid + produktivitetsförlust för planens besök, "
                      "jämfört med nuläget (dagens besök) beräknat med samma kostnadsmodell."),
    # without status_quo_visits.csv there is nothing to compare with: the note says only what the cost is
    "outreach_note_alone": ("Outreach cost = car + travel salary + productivity loss of this plan's visits.",
                            "Jalkautumisen kustannus = auto + matka-ajan palkka + tuottavuuden menetys tämän "
                            "suunnitelman käynneistä.",
                            "Kostnad för uppsökande service = bil + lön för restid + produktivitetsförlust för "
                            "planens besök."),
    # risks
    "risk_short": ("{point} needs {need} persons in {month} but has {have}: recruit or share staff with a nearby point.",
                   "{point}: tarvitaan {need} henkilöä (mitoittava kuukausi {month}), mutta nimettyjä on {have}: "
                   "rekrytoi tai jaa henkilöstöä lähipisteen kanssa.",
                   "{point} behöver {need} personer i {month} men har {have}: rekrytera eller dela personal med en "
                   "närliggande punkt."),
    "risk_fte": ("{point} needs {fte} FTE in {month} but its staff is {have_fte} FTE: queues beyond the service level.",
                 "{point}: tarvitaan {fte} htv (mitoittava kuukausi {month}), mutta henkilöstöä on {have_fte} htv: "
                 "jonot ylittävät palvelutason.",
                 "{point} behöver {fte} årsverken i {month} men personalen är {have_fte} årsverken: köer utöver "
                 "servicenivån."),
    # the same shortfall at a point sized by its minimum manning: the opening hours bind, not the customers
    "risk_fte_manning": ("{point} needs {fte} FTE in {month} but its staff is {have_fte} FTE: the minimum manning "
                         "({on_duty} on duty whenever the point is open) needs the hours, not queues.",
                         "{point}: tarvitaan {fte} htv (mitoittava kuukausi {month}), mutta henkilöstöä on {have_fte} "
                         "htv: tarpeen määrää vähimmäismiehitys ({on_duty} paikalla koko aukioloajan), eivät jonot.",
                         "{point} behöver {fte} årsverken i {month} men personalen är {have_fte} årsverken: "
                         "minimibemanningen ({on_duty} på plats under hela öppettiden) kräver timmarna, inte köer."),
    "risk_probability": ("Today's staff at {point} suffices in only {p} % of the demand scenarios.",
                         "Nykyinen henkilöstö riittää pisteessä {point} vain {p} %:ssa kysyntäskenaarioista.",
                         "Dagens personal vid {point} räcker bara i {p} % av efterfrågescenarierna."),
    "risk_unmanned": ("{point}: the roster leaves the counter unmanned or short on {days} {days|day|days} (largest: {first}).",
                      "{point}: työvuorolistassa palvelupiste on miehittämättä tai vajaa {days} päivänä (suurin: {first}).",
                      "{point}: arbetsschemat lämnar disken obemannad eller underbemannad {days} {days|dag|dagar} (störst: {first})."),
    "risk_unmet": ("{count} face-to-face {count|customer|customers} of {provider} at {point} {count|is|are} not served "
                   "locally in the outreach plan.",
                   "{count} palveluntuottajan {provider} {count|kasvokkainen asiakas|kasvokkaista asiakasta} pisteessä "
                   "{point} jää ilman paikallista palvelua jalkautumissuunnitelmassa.",
                   "{count} {count|kund|kunder} hos {provider} vid {point} som kräver personligt besök betjänas inte "
                   "lokalt i planen."),
    # table / column words used in the report
    "point": ("Service point", "Asiointipiste", "Servicepunkt"),
    "provider": ("Provider", "Palveluntuottaja", "Tjänsteproducent"),
    "persons_needed": ("Persons needed", "Tarvittavat henkilöt", "Behövda personer"),
    "persons_on_staff": ("Persons on staff", "Nimetyt henkilöt", "Anställda personer"),
    "fte_needed": ("FTE needed (peak, with shrinkage)", "Tarve htv (huippu, poissaolovaran kanssa)",
                   "Behov årsverken (topp, med bortfall)"),
    "fte_on_staff": ("FTE on staff", "Henkilöstö htv", "Personal årsverken"),
    "driving_month": ("Month that drives it", "Mitoittava kuukausi", "Dimensionerande månad"),
    "cost_year": ("Staffing cost € a year", "Henkilöstökustannus € vuodessa", "Personalkostnad € per år"),
    "probability": ("Probability today's staff suffices", "Todennäköisyys, että henkilöstö riittää",
                    "Sannolikhet att personalen räcker"),
    "share_of": ("{provider} €/year", "{provider} €/vuosi", "{provider} €/år"),
    "compensation": ("Compensation € a year", "Korvaus € vuodessa", "Ersättning € per år"),
    "outreach_cost": ("Outreach cost €", "Jalkautumisen kustannus €", "Kostnad för uppsökande service €"),
    "per_year": ("a year", "vuodessa", "per år"),
    "outreach_period": ("outreach {period} ({months}), not a year", "jalkautuminen {period} ({months}), ei vuosi",
                        "uppsökande service {period} ({months}), inte ett år"),
    "months_n": ("{n} months", "{n} kuukautta", "{n} månader"),
    "months_1": ("1 month", "1 kuukausi", "1 månad"),
    "status_quo_cost": ("Status quo €", "Nykytila €", "Nuläge €"),
    "served_locally": ("Residents served locally", "Paikallisesti palvellut asukkaat", "Invånare betjänade lokalt"),
    "not_served": ("Not served locally", "Ei palveltu paikallisesti", "Inte betjänade lokalt"),
    "total": ("Total", "Yhteensä", "Totalt"),
    "yes": ("yes", "kyllä", "ja"),
    # week grids
    "grid_title": ("{point}, week {week} ({first} – {last})", "{point}, viikko {week} ({first} – {last})",
                   "{point}, vecka {week} ({first} – {last})"),
    "opening_hours": ("Opening hours", "Aukioloaika", "Öppettider"),
    "closed": ("closed", "suljettu", "stängt"),
    "day_off": ("off", "vapaa", "ledig"),
    "no_roster": ("No roster for this point — not to be published: {reason}",
                  "Tälle pisteelle ei ole työvuorolistaa — ei julkaistavaksi: {reason}",
                  "Inget arbetsschema för denna punkt — ska inte publiceras: {reason}"),
    "not_rostered": ("no roster", "ei listaa", "inget schema"),
    "status_no_roster": ("NO ROSTER", "EI LISTAA", "INGET SCHEMA"),
    "holiday": ("public holiday", "arkipyhä", "helgdag"),
    "hours_week": ("Hours", "Tunnit", "Timmar"),
    "contract_week": ("Contract", "Sopimus", "Avtal"),
    "advisor": ("Advisor", "Neuvoja", "Rådgivare"),
    "backup": ("backup", "varahenkilö", "reserv"),
    "grid_note": ("Shift times are on site, with the unpaid lunch break in brackets; a day off is \"{off}\"; an absence "
                  "shows its reason.",
                  "Vuoroajat ovat työaikaa pisteessä, palkaton lounastauko suluissa; vapaapäivä on \"{off}\"; poissaolo "
                  "näyttää syynsä.",
                  "Skifttiderna gäller på plats, med den obetalda lunchrasten inom parentes; en ledig dag är \"{off}\"; "
                  "frånvaro visar sin orsak."),
    # charts
    "customers_month": ("customers a month", "asiakasta kuukaudessa", "kunder per månad"),
    "demand_title": ("{point}: counter demand by provider", "{point}: asiakaskysyntä palveluntuottajittain",
                     "{point}: efterfrågan vid disken per tjänsteproducent"),
    "fte_axis": ("FTE (with shrinkage)", "htv (poissaolovaran kanssa)", "årsverken (med bortfall)"),
    "fte_title": ("Sizing plan: FTE needed per month (dotted: FTE on staff)",
                  "Mitoitus: tarvittavat htv kuukausittain (pisteviiva: nykyinen henkilöstö)",
                  "Dimensionering: behövda årsverken per månad (prickat: nuvarande personal)"),
    "needed": ("needed", "tarve", "behov"),
    "heat_required": ("required (Erlang C)", "tarve (Erlang C)", "behov (Erlang C)"),
    "heat_scheduled": ("sizing plan's shifts", "mitoituksen vuorot", "dimensioneringens skift"),
    "heat_title": ("{point}: sizing plan, mean advisors by weekday and hour (not the named roster)",
                   "{point}: mitoitus, neuvojia keskimäärin viikonpäivittäin ja tunneittain (ei nimettyjä vuoroja)",
                   "{point}: dimensionering, rådgivare i medeltal per veckodag och timme (inte det namngivna schemat)"),
    "hour": ("hour", "tunti", "timme"),
    "roster_chart": ("{point}: roster, weeks {first}–{last} (named advisors)",
                     "{point}: työvuoroluettelo, viikot {first}–{last} (nimetyt neuvojat)",
                     "{point}: arbetsschema, veckor {first}–{last} (namngivna rådgivare)"),
    "hour_of_day": ("hour of day (grey: unpaid lunch break)", "kellonaika (harmaa: palkaton lounastauko)",
                    "klockslag (grått: obetald lunchrast)"),
    "map_title": ("Outreach trips, provider offices and service points", "Jalkautumismatkat, toimipisteet ja asiointipisteet",
                  "Uppsökande resor, kontor och servicepunkter"),
    "office": ("provider office", "palveluntuottajan toimipiste", "producentens kontor"),
    "trip": ("trip of {official}", "matka: {official}", "resa: {official}"),
    "month_grid": ("Visits by month", "Käynnit kuukausittain", "Besök per månad"),
    "pareto_title": ("Cost against access over the outreach weight λ", "Kustannus ja saavutettavuus painon λ mukaan",
                     "Kostnad och tillgänglighet över vikten λ"),
    "this_plan": ("this plan", "tämä suunnitelma", "denna plan"),
    "status_quo": ("status quo", "nykytila", "nuläge"),
    "official_cost_axis": ("official cost € (car + travel salary + productivity loss)",
                           "virkamiesten kustannus € (auto + matka-ajan palkka + tuottavuuden menetys)",
                           "tjänstemännens kostnad € (bil + lön för restid + produktivitetsförlust)"),
    "access_cost_axis": ("residents' access cost €", "asukkaiden asiointikustannus €", "invånarnas kostnad för att nå service €"),
    # sections' explanations
    "workload_note": ("Hours of counter work over the horizon and their cost at the advisor's hourly cost ({rate} €/h): "
                      "the basis for what each provider compensates the host municipality.",
                      "Asiakaspalvelun työtunnit suunnittelujaksolla ja niiden kustannus neuvojan tuntikustannuksella "
                      "({rate} €/h): peruste sille, mitä kukin palveluntuottaja korvaa isäntäkunnalle.",
                      "Timmar vid disken under perioden och deras kostnad till rådgivarens timkostnad ({rate} €/h): grunden "
                      "för vad varje producent ersätter värdkommunen."),
    "costs_note": ("Official cost = car + travel salary + productivity loss (+ hotel nights and per diem of overnight "
                   "trips); residents' access = their trips to offices + waiting for a visit. The plan's official "
                   "cost is the model's, from unrounded legs; the total per official adds up the rounded rows shown, "
                   "so the two can differ by cents.",
                   "Virkamiesten kustannus = auto + matka-ajan palkka + tuottavuuden menetys (+ yöpymisen hotelliyöt ja "
                   "päivärahat); asukkaiden saavutettavuus = matkat toimipisteisiin + käynnin odottaminen. "
                   "Suunnitelman virkamieskustannus on mallin oma pyöristämättömistä matkoista laskettu; "
                   "virkamiehittäinen yhteissumma laskee yhteen näytetyt pyöristetyt rivit, joten ne voivat erota "
                   "senttejä.",
                   "Tjänstemännens kostnad = bil + lön för restid + produktivitetsförlust (+ hotellnätter och "
                   "traktamente för resor med övernattning); invånarnas tillgänglighet = resor till kontor + väntan på "
                   "ett besök. Planens tjänstemannakostnad är modellens egen, räknad på oavrundade sträckor; totalen "
                   "per tjänsteman summerar de avrundade raderna som visas, så de kan skilja sig med några cent."),
    "pareto_note": ("Each point is a plan made with a different weight λ on residents' access; every plan is "
                    "time-limited, so its gap is shown.",
                    "Jokainen piste on suunnitelma eri painolla λ asukkaiden saavutettavuudelle; jokaisella on aikaraja, "
                    "joten sen optimiväli näytetään.",
                    "Varje punkt är en plan med en annan vikt λ på invånarnas tillgänglighet; varje plan är tidsbegränsad, "
                    "så dess gap visas."),
    "breaches": ("Roster rule breaches ({n} {n|row|rows}, largest 40)",
                 "Työvuorosääntöjen rikkeet ({n} {n|rivi|riviä}, suurimmat 40)",
                 "Brott mot schemaregler ({n} {n|rad|rader}, de 40 största)"),
    "unmet_heading": ("Face-to-face demand not served locally ({n} {n|row|rows})",
                      "Kasvokkain palvelua vaativa kysyntä, jota ei palvella paikallisesti ({n} {n|rivi|riviä})",
                      "Efterfrågan på personlig service som inte betjänas lokalt ({n} {n|rad|rader})"),
    "none": ("None.", "Ei yhtään.", "Inga."),
    # a plan with no visit (λ = 0, or no visit pays): said in the outreach section, under the costs and in the calendars
    "no_visits": ("No outreach visits were planned for {period}: {why}",
                  "Jalkautumiskäyntejä ei suunniteltu jaksolle {period}: {why}",
                  "Inga uppsökande besök planerades för {period}: {why}"),
    "no_visits_free": ("at access weight λ = 0 the residents' trips to the office cost the plan nothing, so no visit "
                       "pays. Each group of customers' channel and reason: access.csv.",
                       "saavutettavuuden painolla λ = 0 asukkaiden matkat toimipisteeseen eivät maksa suunnitelmalle "
                       "mitään, joten mikään käynti ei kannata. Kunkin asiakasryhmän palvelukanava ja syy: access.csv.",
                       "vid tillgänglighetsvikten λ = 0 kostar invånarnas resor till kontoret planen ingenting, så "
                       "inget besök lönar sig. Varje kundgrupps kanal och orsak: access.csv."),
    "no_visits_paid": ("at access weight λ = {lam} no visit cost less than the residents' trips to the office, or none "
                       "could be made. Each group of customers' channel and reason: access.csv.",
                       "saavutettavuuden painolla λ = {lam} mikään käynti ei tullut edullisemmaksi kuin asukkaiden "
                       "matkat toimipisteeseen, tai käyntiä ei voitu tehdä. Kunkin asiakasryhmän palvelukanava ja syy: "
                       "access.csv.",
                       "vid tillgänglighetsvikten λ = {lam} blev inget besök billigare än invånarnas resor till "
                       "kontoret, eller kunde inget besök göras. Varje kundgrupps kanal och orsak: access.csv."),
    "no_trips": ("No trips: no official travels in this plan.", "Ei matkoja: yksikään virkamies ei matkusta tässä "
                 "suunnitelmassa.", "Inga resor: ingen tjänsteman reser i denna plan."),
    # steps the run could not make (planner/outputs/report.add_step_notices)
    "notice_heading": ("Not everything was planned", "Kaikkea ei suunniteltu", "Allt planerades inte"),
    # warnings of a plan that was made (planner/outputs/report.add_input_notices, add_outreach_cautions)
    "caution_heading": ("Check before publishing", "Tarkista ennen julkaisua", "Kontrollera före publicering"),
    "outreach_warning": ("Outreach: {message}.", "Jalkautuminen: {message}.", "Uppsökande service: {message}."),
    "more_warnings": ("… and {n} more {n|warning|warnings} in outreach/summary.json.",
                      "… ja {n} {n|muu varoitus|muuta varoitusta} tiedostossa outreach/summary.json.",
                      "… och {n} {n|varning|varningar} till i outreach/summary.json."),
    "notice_language": ("", "Syyt ovat englanniksi, kuten komentorivin viestit ja manifest.json.",
                        "Orsakerna står på engelska, som terminalens meddelanden och manifest.json."),
    "step_roster": ("Rosters", "Työvuoroluettelot", "Arbetsscheman"),
    "step_outreach": ("Outreach", "Jalkautuminen", "Uppsökande service"),
    # access.csv's "N customers by video" beside a reason's code (Words.access_reason)
    "video_detail": ("{n} {n|customer|customers} by video", "{n} {n|asiakas|asiakasta} palveltiin videoyhteydellä",
                     "{n} {n|kund|kunder} betjänades via video"),
    "step_skipped": ("{step}: not made — {reason}. This report and the workbook have none; the other steps are "
                     "complete.",
                     "{step}: ei laadittu — {reason}. Tässä raportissa ja työkirjassa niitä ei ole; muut vaiheet ovat "
                     "valmiit.",
                     "{step}: inte gjorda — {reason}. Rapporten och arbetsboken har inga; de andra stegen är klara."),
    "part_failed": ("{step}, {part}: not made — {reason}.", "{step}, {part}: ei laadittu — {reason}.",
                    "{step}, {part}: inte gjorda — {reason}."),
    "status_quo_failed": ("Outreach, status quo (today's visits, status_quo_visits.csv): not computed — {reason}. The "
                          "plan has no status-quo column to compare with.",
                          "Jalkautuminen, nykytila (nykyiset käynnit, status_quo_visits.csv): ei laskettu — {reason}. "
                          "Suunnitelmalla ei ole nykytilaa verrattavaksi.",
                          "Uppsökande service, nuläge (dagens besök, status_quo_visits.csv): inte beräknat — {reason}. "
                          "Planen har inget nuläge att jämföra med."),
    "others_complete": ("The other parts are complete.", "Muut osat ovat valmiit.", "De andra delarna är klara."),
    "input_warning": ("Input warning — {where}: {message}. The plan was made; check the input.",
                      "Syötteen varoitus — {where}: {message}. Suunnitelma laadittiin; tarkista syöte.",
                      "Varning om indata — {where}: {message}. Planen gjordes; kontrollera indata."),
    "charts_note": ("Charts for the {n} of {total} points with the largest average FTE need; the tables list every point.",
                    "Kaaviot {n}:lle {total} pisteestä, joiden keskimääräinen htv-tarve on suurin; taulukoissa ovat kaikki pisteet.",
                    "Diagram för de {n} av {total} punkter med störst genomsnittligt behov; tabellerna visar alla punkter."),
    "headcount_gap": ("{point}: the sizing shift plan needs {daily} different people on {days} {days|day|days}, more "
                      "than the "
                      "monthly headcount of {monthly}; the headline uses {daily}.",
                      "{point}: mitoituksen vuorosuunnitelma tarvitsee {daily} eri henkilöä {days} päivänä, enemmän kuin "
                      "kuukauden henkilömäärä {monthly}; tiivistelmä käyttää lukua {daily}.",
                      "{point}: dimensioneringens skiftplan behöver {daily} olika personer {days} {days|dag|dagar}, fler än "
                      "månadens "
                      "antal {monthly}; sammanfattningen använder {daily}."),
    # calendars
    "country": ("Finland", "Suomi", "Finland"),
    "no_visits_summary": ("No outreach visits {period}", "Ei jalkautumiskäyntejä {period}",
                          "Inga uppsökande besök {period}"),
    "no_visits_yours": ("The plan gives {name} no outreach visit in {period}; the other officials' visits are in their "
                        "own calendars.",
                        "Suunnitelma ei anna virkamiehelle {name} jalkautumiskäyntejä jaksolla {period}; muiden "
                        "virkamiesten käynnit ovat heidän omissa kalentereissaan.",
                        "Planen ger {name} inga uppsökande besök under {period}; de andra tjänstemännens besök finns i "
                        "deras egna kalendrar."),
    "no_shifts_summary": ("No shifts {period}", "Ei työvuoroja {period}", "Inga arbetspass {period}"),
    "no_shifts_summary_backup": ("No shifts {period} (backup)", "Ei työvuoroja {period} (varahenkilö)",
                                 "Inga arbetspass {period} (reserv)"),
    "no_shifts_description": ("The roster of {point} gives {name} no shift in {period}.",
                              "Pisteen {point} työvuoroluettelossa henkilöllä {name} ei ole vuoroja jaksolla {period}.",
                              "Arbetsschemat för {point} ger {name} inga arbetspass under {period}."),
    "shift_summary": ("Shift at {point}", "Työvuoro: {point}", "Arbetspass: {point}"),
    "shift_description": ("{start}–{end}, unpaid lunch break {break_} min; paid {hours} h. Providers: {providers}.",
                          "{start}–{end}, palkaton lounastauko {break_} min; palkallista {hours} h. Palveluntuottajat: "
                          "{providers}.",
                          "{start}–{end}, obetald lunchrast {break_} min; betalt {hours} h. Tjänsteproducenter: {providers}."),
    # a shift without a break (up to 6 h): no "lunch break 0 min"
    "shift_description_no_break": ("{start}–{end}; paid {hours} h. Providers: {providers}.",
                                   "{start}–{end}; palkallista {hours} h. Palveluntuottajat: {providers}.",
                                   "{start}–{end}; betalt {hours} h. Tjänsteproducenter: {providers}."),
    "absence_summary": ("Absent: {reason}", "Poissa: {reason}", "Frånvarande: {reason}"),
    "visit_summary": ("Outreach day: {points}", "Jalkautumispäivä: {points}", "Uppsökande dag: {points}"),
    "visit_description": ("Depart {depart}, return {return_} (drive included). {stops}",
                          "Lähtö {depart}, paluu {return_} (ajomatka mukana). {stops}",
                          "Avfärd {depart}, åter {return_} (körtiden ingår). {stops}"),
    "overnight_summary": ("Overnight trip ({nights} {nights|night|nights}): {point}",
                          "Yöpymismatka ({nights} {nights|yö|yötä}): {point}",
                          "Resa med övernattning ({nights} {nights|natt|nätter}): {point}"),
    "overnight_description": ("Depart {depart} on {first}, return {return_} on {last} (drive included); hotel "
                              "{hotel} €, per diem {per_diem} €. {days}",
                              "Lähtö {depart} {first}, paluu {return_} {last} (ajomatka mukana); hotelli {hotel} €, "
                              "päiväraha {per_diem} €. {days}",
                              "Avfärd {depart} {first}, åter {return_} {last} (körtiden ingår); hotell {hotel} €, "
                              "traktamente {per_diem} €. {days}"),
    "overnight_day": ("{date}: service {start}–{leave}, {appointments} {appointments|appointment|appointments} ({types}).",
                      "{date}: palvelu {start}–{leave}, {appointments} {appointments|ajanvaraus|ajanvarausta} ({types}).",
                      "{date}: service {start}–{leave}, {appointments} {appointments|bokning|bokningar} ({types})."),
    "visit_stop": ("{point}: on site {arrive}–{leave}, service from {start}, {appointments} "
                   "{appointments|appointment|appointments} ({types}).",
                   "{point}: paikalla {arrive}–{leave}, palvelu alkaa {start}, {appointments} "
                   "{appointments|ajanvaraus|ajanvarausta} ({types}).",
                   "{point}: på plats {arrive}–{leave}, service från {start}, {appointments} {appointments|bokning|bokningar} ({types})."),
}

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "fi": ("tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu", "heinäkuu", "elokuu", "syyskuu",
           "lokakuu", "marraskuu", "joulukuu"),
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december"),
}
WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "fi": ("ma", "ti", "ke", "to", "pe", "la", "su"),
    "sv": ("mån", "tis", "ons", "tors", "fre", "lör", "sön"),
}

# The six providers of the fact sheet, by their own names in Finnish and Swedish.
PROVIDER_NAMES = {
    "fi": {"kela": "Kela", "vero": "Verohallinto", "poliisi": "Poliisin lupapalvelut", "te": "TE-toimisto",
           "maistraatti": "Maistraatti", "kunta": "Kunnan palvelut"},
    "sv": {"kela": "FPA", "vero": "Skatteförvaltningen", "poliisi": "Polisens tillståndstjänster", "te": "TE-byrån",
           "maistraatti": "Magistraten", "kunta": "Kommunens tjänster"},
}

# access.csv's reasons (planner/outreach/plan.py REASONS: "code: detail in English"), by code: the report in Finnish
# and Swedish says the code's meaning in its own language and leaves the English detail to access.csv.
ACCESS_REASONS = {
    "no_official": ("the provider has no official to serve them: they go to its office, or with none open they are "
                    "unmet",
                    "palveluntuottajalla ei ole virkailijaa, joka palvelisi {n|asiakasta|asiakkaita}: {n|hän asioi|he "
                    "asioivat} sen toimipisteessä, tai jos yksikään ei ole auki, {n|hän jää|he jäävät} palvelematta",
                    "tjänsteproducenten har ingen tjänsteman som kan betjäna {n|kunden|kunderna}: {n|kunden besöker|de "
                    "besöker} dess kontor, eller om inget är öppet blir {n|kunden|de} utan service"),
    "offices_closed": ("every office of the provider is closed to customers when they arrive and no visit served "
                       "them (none could reach them, or one did not pay at this λ): they are unmet",
                       "jokainen palveluntuottajan toimipiste on suljettu {n|asiakkaan|asiakkaiden} saapuessa, "
                       "eikä mikään käynti palvellut {n|häntä|heitä} (yksikään ei tavoittanut "
                       "{n|häntä|heitä}, tai käynti ei kannattanut tällä painolla λ): {n|hän jää|he jäävät} palvelematta",
                       "alla tjänsteproducentens kontor är stängda när {n|kunden kommer|kunderna kommer}, och "
                       "inget besök betjänade {n|kunden|dem} (inget kunde nå {n|kunden|dem}, eller ett besök lönade "
                       "sig inte vid denna vikt λ): {n|kunden blir|de blir} utan service"),
    "point_closed": ("no reachable day: the point is not open on any day a visit is allowed",
                     "ei käyntipäivää: piste ei ole auki yhtenäkään päivänä, jolloin käynti on sallittu",
                     "ingen möjlig dag: punkten är inte öppen någon dag då ett besök är tillåtet"),
    "official_unavailable": ("no reachable day: on the days the point is open, every official who could reach it "
                             "is away or not working",
                             "ei käyntipäivää: pisteen aukiolopäivinä jokainen sen tavoittava virkailija on poissa "
                             "tai ei työssä",
                             "ingen möjlig dag: de dagar punkten är öppen är varje tjänsteman som kan nå den borta "
                             "eller inte i arbete"),
    "window_shorter_than_slot": ("no reachable day: the point is open for less than one appointment slot",
                                 "ei käyntipäivää: piste on auki lyhyemmän ajan kuin yksi vastaanottoaika",
                                 "ingen möjlig dag: punkten är öppen kortare tid än en besökstid"),
    "beyond_day_reach": ("no reachable day: no official can drive there, hold one slot and return within a "
                         "working day, and no overnight trip serves it",
                         "ei käyntipäivää: yksikään virkailija ei ehdi ajaa perille, hoitaa yhtä vastaanottoaikaa "
                         "ja palata työpäivän aikana, eikä yöpymismatka palvele sitä",
                         "ingen möjlig dag: ingen tjänsteman hinner köra dit, ta emot en besökstid och återvända "
                         "inom en arbetsdag, och ingen resa med övernattning betjänar den"),
    "video_chosen": ("served by remote video from the point: cheaper than a visit or the office at this λ",
                     "palveltu etäyhteydellä pisteeltä: edullisempi kuin käynti tai toimipiste tällä painolla λ",
                     "betjänade på distans via video från punkten: billigare än ett besök eller kontoret vid "
                     "denna vikt λ"),
    "office_cheaper": ("a visit was possible, but at this access weight λ the office was cheaper than a visit or "
                       "than more appointments",
                       "käynti oli mahdollinen, mutta tällä saavutettavuuden painolla λ toimipiste oli edullisempi "
                       "kuin käynti tai lisää vastaanottoaikoja",
                       "ett besök var möjligt, men vid denna tillgänglighetsvikt λ var kontoret billigare än ett "
                       "besök eller fler besökstider"),
    "capacity": ("the visits made were full and one more did not pay at this λ, or the video hours were used up",
                 "käynnit olivat täynnä eikä yksi käynti lisää kannattanut tällä painolla λ, tai videoaika loppui",
                 "besöken var fulla och ett besök till lönade sig inte vid denna vikt λ, eller videotiden tog slut"),
    "under_half_customer": ("under half a customer expected over the planned horizon (or over a row's days, rounded "
                            "with the days before); one who comes is served at the office",
                            "koko jaksolle (tai rivin päiville, aiempien päivien kanssa pyöristettynä) odotetaan alle "
                            "puolta asiakasta; tuleva asiakas palvellaan toimipisteessä",
                            "under en halv kund väntas under hela perioden (eller radens dagar, avrundade med "
                            "dagarna före); en som kommer betjänas på kontoret"),
}

# Absence reasons as absences.csv writes them (free text): the usual ones translated, others as written.
REASONS = {
    "annual leave": ("annual leave", "vuosiloma", "semester"),
    "training": ("training", "koulutus", "utbildning"),
    "sick leave": ("sick leave", "sairausloma", "sjukledighet"),
    "parental leave": ("parental leave", "perhevapaa", "föräldraledighet"),
    "unpaid leave": ("unpaid leave", "palkaton vapaa", "tjänstledighet"),
    "leave": ("leave", "vapaa", "ledighet"),
    "absence": ("absence", "poissaolo", "frånvaro"),
}

# The English words of closed lists that the tables carry as values, by column (Words.cells): a plan in the cost table,
# the per-official and the providers' total rows, an advisor's role, a step of the run, what sets a point's size, a
# week grid's kind of row.
# The CSV files keep them in English (the contract); the report and the workbook say them in their language.
APPOINTMENT_TYPES: dict[str, tuple[str, str, str]] = {
    "benefits": ("benefits", "etuudet", "förmåner"),
    "tax": ("tax", "verotus", "beskattning"),
    "permit": ("permit", "lupa", "tillstånd"),
    "psychologist": ("psychologist", "psykologi", "psykolog"),
    "notary": ("notary", "julkinen notaari", "notarius publicus"),
    "notarisation": ("notarisation", "oikeaksi todistaminen", "bestyrkande"),
    "wedding": ("wedding", "vihkiminen", "vigsel"),
    "guardianship": ("guardianship", "edunvalvonta", "intressebevakning"),
    "visit": ("visit", "asiointi", "besök"),
}
CELLS: dict[str, dict[str, tuple[str, str, str]]] = {
    "plan": {"this plan": TEXTS["this_plan"], "status quo": TEXTS["status_quo"]},
    "official_id": {"total": TEXTS["total"]},
    "provider_id": {"total": TEXTS["total"]},  # the headline providers' total row (planner/outputs/headline.py)
    "role": {"advisor": ("advisor", "neuvoja", "rådgivare"), "backup": TEXTS["backup"]},
    "step": {"staffing": ("staffing", "mitoitus", "dimensionering"), "roster": ("roster", "työvuorot", "arbetsschema"),
             "outreach": ("outreach", "jalkautuminen", "uppsökande service")},
    "driver": {"demand": ("demand", "kysyntä", "efterfrågan"),
               "minimum manning": ("minimum manning", "vähimmäismiehitys", "minimibemanning")},
    "headcount_rule": {"shrinkage": ("shrinkage", "poissaolovara", "bortfall")},
    "row": {"opening": ("opening", "aukioloaika", "öppettider"), "advisor": ("advisor", "neuvoja", "rådgivare"),
            "no_roster": TEXTS["not_rostered"]},
    # violations.csv's rule families (models/advisor_roster.py's penalties)
    "family": {
        "unmanned": ("unmanned", "miehittämätön", "obemannad"),
        "cover_under": ("cover under", "vajaa miehitys", "underbemanning"),
        "cover_over": ("cover over", "ylimiehitys", "överbemanning"),
        "missing_skill": ("missing skill", "puuttuva osaaminen", "kompetens saknas"),
        "contract_under": ("contract hours under", "sopimustunnit alittuvat", "avtalstimmar under"),
        "contract_over": ("contract hours over", "sopimustunnit ylittyvät", "avtalstimmar över"),
        "backup_used": ("backup used", "varahenkilö käytössä", "reserv använd"),
        "fair_late": ("fair share of closing shifts", "iltavuorojen tasapuolisuus", "rättvis fördelning av kvällspass"),
        "fair_saturday": ("fair share of Saturdays", "lauantaivuorojen tasapuolisuus", "rättvis fördelning av lördagar"),
        "fair_single_off": ("fair share of single days off", "yksittäisten vapaapäivien tasapuolisuus",
                            "rättvis fördelning av enstaka lediga dagar"),
        "isolated_day": ("isolated working day", "yksittäinen työpäivä", "enstaka arbetsdag"),
        "change": ("change to the kept roster", "muutos julkaistuun listaan", "ändring i det publicerade schemat"),
        "request_day_off": ("request: day off", "toive: vapaapäivä", "önskemål: ledig dag"),
        "request_prefer_shift": ("request: shift wanted", "toive: haluttu vuoro", "önskemål: önskat pass"),
        "request_avoid_shift": ("request: shift avoided", "toive: vältettävä vuoro", "önskemål: pass att undvika"),
    },
    # appointment types: the defaults (planner/outreach/plan.DEFAULT_APPOINTMENT_TYPES) and the pilots' codes; a
    # scenario's own codes stay as written
    "appointment_type": APPOINTMENT_TYPES,
}
# staffing_summary.csv headcount_rule "2 persons named" (planner/staffing/sizing.py)
NAMED = (r"(\d+) persons named", ("{n} persons named", "vähintään {n} nimettyä", "minst {n} namngivna"))
# access.csv reasons' detail "7 customers by video" (planner/outreach/plan.row_reason; "2 by video" outside the plan)
_VIDEO = re.compile(r"(\d+(?:\.\d+)?) (?:customers? )?by video")
# A count's word in a text: "{n|customer|customers}" is the first form when the value n is 1, else the second
_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def _forms(text: str, values: dict[str, Any]) -> str:
    """`text` with each "{n|one|many}" its form for the value of n (a number, or one written "1", "2,5")."""
    def form(match: re.Match) -> str:
        try:
            one = float(str(values[match.group(1)]).replace(",", ".")) == 1
        except ValueError:
            one = False
        return match.group(2) if one else match.group(3)
    return _PLURAL.sub(form, text)


# Workbook sheet names (≤ 31 characters).
SHEETS: dict[str, tuple[str, str, str]] = {
    "headline": ("headline", "tiivistelmä", "sammanfattning"),
    "headline providers": ("headline providers", "tiivistelmä tuottajat", "sammanfattning producenter"),
    "staffing summary": ("staffing summary", "mitoitus kuukausittain", "dimensionering per månad"),
    "shifts": ("shifts", "mitoituksen vuorot", "dimensioneringens skift"),
    "demand by month": ("demand by month", "kysyntä kuukausittain", "efterfrågan per månad"),
    "week grids": ("week grids", "viikkotyövuorot", "veckoscheman"),
    "roster": ("roster {point}", "vuorot {point}", "schema {point}"),
    "rosters": ("rosters", "työvuorot", "arbetsscheman"),
    "roster by advisor": ("roster by advisor", "vuorot neuvojittain", "schema per rådgivare"),
    "hours by week": ("hours by week", "tunnit viikoittain", "timmar per vecka"),
    "roster violations": ("roster violations", "vuorosääntörikkeet", "regelbrott i schemat"),
    "visits": ("visits", "käynnit", "besök"),
    "visits by month": ("visits by month", "käynnit kuukausittain", "besök per månad"),
    "access": ("access", "saavutettavuus", "tillgänglighet"),
    "costs": ("costs", "kustannukset", "kostnader"),
    "costs by official": ("costs by official", "kustannukset virkamiehittäin", "kostnader per tjänsteman"),
    "pareto": ("pareto", "kustannus ja saavutettavuus", "kostnad och tillgänglighet"),
    "probability": ("staff suffices", "henkilöstön riittävyys", "personalen räcker"),
}

# Column headers: CSV name → (en, fi, sv). Per-provider columns are matched by PATTERNS.
COLUMNS: dict[str, tuple[str, str, str]] = {
    "step": ("step", "vaihe", "steg"),
    "part": ("part", "osa", "del"),
    "gap_percent": ("gap %", "optimiväli %", "gap %"),
    "objective_is": ("objective is", "tavoitefunktio on", "målfunktionen är"),
    "point_id": ("point", "asiointipiste", "servicepunkt"),
    "point": ("point", "asiointipiste", "servicepunkt"),
    "provider_id": ("provider", "palveluntuottaja", "tjänsteproducent"),
    "month": ("month", "kuukausi", "månad"),
    "date": ("date", "päivämäärä", "datum"),
    "week": ("week", "viikko", "vecka"),
    "week_start": ("week starts", "viikko alkaa", "veckan börjar"),
    # The week grids' and the month grid's day columns (the trial: the Swedish workbook's headers said mon … sun).
    **{en.lower(): (en, fi, sv) for en, fi, sv in zip(*(WEEKDAYS[lang] for lang in ("en", "fi", "sv")), strict=True)},
    "open_days": ("open days", "aukiolopäivät", "öppetdagar"),
    "paid_hours": ("paid hours", "palkalliset tunnit", "betalda timmar"),
    "floor_hours": ("hours on the floor", "tunnit palvelupisteessä", "timmar på golvet"),
    "counter_hours": ("counter hours", "asiakaspalvelutunnit", "timmar vid disken"),
    "workload_hours": ("workload hours", "työmäärä tunteina", "arbetsmängd i timmar"),
    "back_office_hours": ("back-office hours", "taustatyön tunnit", "timmar bakom disken"),
    "back_office_absorbed_hours": ("back-office hours within shifts", "taustatyö vuorojen sisällä",
                                   "arbete bakom disken inom skift"),
    "back_office_extra_hours": ("back-office extra hours", "taustatyön lisätunnit", "extra timmar bakom disken"),
    "peak_required": ("peak advisors required", "suurin neuvojatarve", "största behov av rådgivare"),
    "shortfall_intervals": ("intervals short", "vajaat jaksot", "underbemannade intervall"),
    "fte_needed": ("FTE needed", "tarve htv", "behov årsverken"),
    "fte_with_shrinkage": ("FTE with shrinkage", "htv poissaolovaroineen", "årsverken med bortfall"),
    # Not "persons needed": that is the headline's figure (this, or more where a day of the shift plan needs more).
    "headcount_needed": ("monthly headcount (from FTE)", "kuukauden henkilömäärä (htv:sta)",
                         "månadens personantal (från årsverken)"),
    "driver": ("driver", "mitoitusperuste", "dimensioneringsgrund"),
    "headcount_rule": ("headcount rule", "henkilömääräsääntö", "regel för antal personer"),
    "counter_utilisation": ("counter utilisation", "palvelupisteen käyttöaste", "diskens beläggning"),
    "idle_counter_hours": ("idle counter hours", "joutoaika palvelupisteessä", "outnyttjade timmar vid disken"),
    "fte_in_scenario": ("FTE on staff", "henkilöstö htv", "personal årsverken"),
    "persons_in_scenario": ("persons on staff", "nimetyt henkilöt", "anställda personer"),
    "start": ("start", "alkaa", "börjar"),
    "end": ("end", "päättyy", "slutar"),
    "break_start": ("break starts", "tauko alkaa", "rasten börjar"),
    "break_end": ("break ends", "tauko päättyy", "rasten slutar"),
    "break_minutes": ("unpaid break min", "palkaton tauko min", "obetald rast min"),
    "count": ("advisors", "neuvojia", "rådgivare"),
    "baseline": ("baseline customers", "peruskysyntä", "grundefterfrågan"),
    "closures": ("from closures", "sulkemisista", "från stängningar"),
    "overflow": ("overflow", "ylivuoto", "överflöde"),
    "unplaced": ("not placed", "sijoittamatta", "ej placerade"),
    "placed": ("placed", "sijoitettu", "placerade"),
    "volume": ("customers", "asiakkaat", "kunder"),
    "handling_minutes": ("handling min", "käsittelyaika min", "handläggningstid min"),
    "advisor": ("advisor", "neuvoja", "rådgivare"),
    "name": ("name", "nimi", "namn"),
    "role": ("role", "rooli", "roll"),
    "fte": ("FTE", "htv", "årsverke"),
    "shifts": ("shifts", "vuorot", "skift"),
    "contract_hours": ("contract hours", "sopimuksen tunnit", "avtalade timmar"),
    "difference_hours": ("difference hours", "erotus tunteina", "skillnad i timmar"),
    "closing_shifts": ("closing shifts", "sulkemisvuorot", "stängningsskift"),
    "saturdays": ("Saturdays", "lauantait", "lördagar"),
    "single_days_off": ("single days off", "yksittäiset vapaapäivät", "enstaka lediga dagar"),
    "family": ("rule", "sääntö", "regel"),
    "amount": ("amount", "määrä", "mängd"),
    "weight": ("weight", "paino", "vikt"),
    "intervals": ("intervals", "jaksot", "intervall"),
    "penalty": ("penalty", "sakko", "straff"),
    "message": ("message", "kuvaus", "beskrivning"),
    "official_id": ("official", "virkamies", "tjänsteman"),
    "official": ("official", "virkamies", "tjänsteman"),
    "stop_order": ("stop", "pysähdys", "stopp"),
    "depart": ("departs", "lähtee", "avgår"),
    "arrive": ("arrives", "saapuu", "anländer"),
    "leave": ("leaves", "lähtee pisteestä", "lämnar"),
    "return": ("returns", "palaa", "återvänder"),
    "appointments": ("appointments", "ajanvaraukset", "bokningar"),
    "appointment_types": ("appointment types", "ajanvaraustyypit", "bokningstyper"),
    "appointment_type": ("appointment type", "ajanvaraustyyppi", "bokningstyp"),
    "km": ("km", "km", "km"),
    "travel_hours": ("travel hours", "matka-aika h", "restid h"),
    "car_eur": ("car €", "auto €", "bil €"),
    "salary_eur": ("travel salary €", "matka-ajan palkka €", "lön för restid €"),
    "productivity_eur": ("productivity loss €", "tuottavuuden menetys €", "produktivitetsförlust €"),
    "pooled_with": ("pooled with", "yhdistetty", "samordnad med"),
    "trip_id": ("overnight trip", "yöpymismatka", "resa med övernattning"),
    "trip_day": ("day of the trip", "matkan päivä", "resans dag"),
    "nights": ("nights", "yöt", "nätter"),
    "hotel_eur": ("hotel €", "hotelli €", "hotell €"),
    "per_diem_eur": ("per diem €", "päiväraha €", "traktamente €"),
    "face_to_face_demand": ("face-to-face demand", "kasvokkainen kysyntä", "efterfrågan på personlig service"),
    "by_remote_service": ("by video (chosen)", "videona (valittu)", "via video (valt)"),
    "video_customers": ("customers by video", "asiakkaat videona", "kunder via video"),
    "by_video": ("by video", "videona", "via video"),
    "served_locally": ("served locally", "palveltu paikallisesti", "betjänade lokalt"),
    "at_office": ("at the office", "toimipisteessä", "på kontoret"),
    "office_id": ("office", "toimipiste", "kontor"),
    "arrivals_from": ("arriving from", "saapuneet alkaen", "ankomna från"),
    "arrivals_to": ("arriving until", "saapuneet asti", "ankomna till"),
    "customer_km_avoided": ("customer km avoided", "säästetyt asiakaskilometrit", "undvikta kundkilometer"),
    "waiting_customer_days": ("customer days waiting", "asiakkaiden odotuspäivät", "kunders väntedagar"),
    "unmet": ("unmet", "kattamatta", "otäckt"),
    "reason": ("reason", "syy", "orsak"),
    "plan": ("plan", "suunnitelma", "plan"),
    "official_cost_eur": ("official cost €", "virkamiesten kustannus €", "tjänstemännens kostnad €"),
    "access_cost_eur": ("access cost €", "saavutettavuuden kustannus €", "kostnad för tillgänglighet €"),
    "trips": ("trips", "matkat", "resor"),
    "access_weight": ("access weight λ", "saavutettavuuden paino λ", "tillgänglighetsvikt λ"),
    "objective": ("objective", "tavoitefunktio", "målfunktion"),
    "best_bound": ("best bound", "paras raja", "bästa gräns"),
    "gap": ("gap", "optimiväli", "gap"),
    "status": ("status", "tila", "status"),
    "seconds": ("seconds", "sekuntia", "sekunder"),
    "row": ("row", "rivi", "rad"),
    "visits": ("visits", "käynnit", "besök"),
    "persons_needed": ("persons needed", "tarvittavat henkilöt", "behövda personer"),
    "persons_on_staff": ("persons on staff", "nimetyt henkilöt", "anställda personer"),
    "fte_on_staff": ("FTE on staff", "henkilöstö htv", "personal årsverken"),
    "fte_needed_peak": ("FTE needed (peak, with shrinkage)", "tarve htv (huippu, poissaolovaran kanssa)",
                        "behov årsverken (topp, med bortfall)"),
    "driving_month": ("month that drives it", "mitoittava kuukausi", "dimensionerande månad"),
    "cost_eur_year": ("staffing cost € a year", "henkilöstökustannus € vuodessa", "personalkostnad € per år"),
    "probability_staff_suffices": ("probability staff suffices", "todennäköisyys: henkilöstö riittää",
                                   "sannolikhet: personalen räcker"),
    "outreach_cost_eur": ("outreach cost €", "jalkautumisen kustannus €", "kostnad uppsökande €"),
    "status_quo_cost_eur": ("status quo €", "nykytila €", "nuläge €"),
    "compensation_eur_year": ("compensation € a year", "korvaus € vuodessa", "ersättning € per år"),
    "outreach_from": ("outreach from", "jalkautuminen alkaen", "uppsökande service från"),
    "outreach_to": ("outreach to", "jalkautuminen päättyen", "uppsökande service till"),
    "not_served_locally": ("not served locally", "ei palveltu paikallisesti", "inte betjänade lokalt"),
    "max_people_on_a_day": ("most people on one day (shift plan)", "eniten henkilöitä samana päivänä (vuorosuunnitelma)",
                            "flest personer samma dag (skiftplan)"),
    "fte_p50": ("FTE needed, median", "htv-tarve, mediaani", "behov årsverken, median"),
    "fte_p80": ("FTE needed, 80 %", "htv-tarve, 80 %", "behov årsverken, 80 %"),
    "fte_p95": ("FTE needed, 95 %", "htv-tarve, 95 %", "behov årsverken, 95 %"),
    "fte_available": ("FTE available", "käytettävissä htv", "tillgängliga årsverken"),
    "samples": ("samples", "otokset", "stickprov"),
    "opening_hours": ("opening hours", "aukioloaika", "öppettider"),
}
PATTERNS: list[tuple[str, tuple[str, str, str]]] = [
    (r"workload_hours_(\w+)", ("workload hours {provider}", "työmäärä h {provider}", "arbetsmängd h {provider}")),
    (r"cost_eur_(\w+)", ("cost € {provider}", "kustannus € {provider}", "kostnad € {provider}")),
    (r"share_eur_(\w+)", ("{provider} € a year", "{provider} € vuodessa", "{provider} € per år")),
    (r"arrivals_(\w+)", ("arrivals {provider}", "saapuvat {provider}", "ankomster {provider}")),
    (r"serves_(\w+)", ("{provider}", "{provider}", "{provider}")),
]


def check(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    return lang


def _pick(triple: tuple[str, str, str], lang: str) -> str:
    return triple[{"en": 0, "fi": 1, "sv": 2}[lang]]


# Roster breach messages (violations.csv `message`, written in English by models/advisor_roster.py and
# planner/rosters/roster.py) in the report's and workbook's language: each English phrase as a pattern, with its
# Finnish and Swedish; names, numbers and clock times are kept. Order matters (the longer phrase first).
_EN_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# "1 advisor" (and "1 advisor(s)" of files written before the plural forms) is Finnish nominative, "1 neuvoja"; any
# other count takes the partitive, "2 neuvojaa": the singular rows come first.
_ADVISORS = r"advisors?(?:\(s\))?"
BREACH_PHRASES: tuple[tuple[str, str, str], ...] = (
    (rf"\b1 {_ADVISORS} short of the (\d+) on duty whenever open",
     r"1 neuvoja vähemmän kuin aukioloaikana aina paikalla olevat \1",
     r"1 rådgivare färre än de \1 som alltid ska vara i tjänst när punkten är öppen"),
    (rf"(\d+) {_ADVISORS} short of the (\d+) on duty whenever open",
     r"\1 neuvojaa vähemmän kuin aukioloaikana aina paikalla olevat \2",
     r"\1 rådgivare färre än de \2 som alltid ska vara i tjänst när punkten är öppen"),
    (rf"\b1 {_ADVISORS} short of (\d+)", r"1 neuvoja vähemmän kuin tarvittavat \1", r"1 rådgivare färre än behövda \1"),
    (rf"(\d+) {_ADVISORS} short of (\d+)", r"\1 neuvojaa vähemmän kuin tarvittavat \2",
     r"\1 rådgivare färre än behövda \2"),
    (rf"\b1 {_ADVISORS} above (\d+)", r"1 neuvoja enemmän kuin tarvittavat \1", r"1 rådgivare fler än behövda \1"),
    (rf"(\d+) {_ADVISORS} above (\d+)", r"\1 neuvojaa enemmän kuin tarvittavat \2",
     r"\1 rådgivare fler än behövda \2"),
    (r"([\d.]+) h under contract beyond its tolerance", r"\1 h alle sopimuksen sallitun vaihteluvälin",
     r"\1 h under avtalets tillåtna marginal"),
    (r"([\d.]+) h over contract beyond its tolerance", r"\1 h yli sopimuksen sallitun vaihteluvälin",
     r"\1 h över avtalets tillåtna marginal"),
    (r"([\d.]+) h under contract", r"\1 h alle sopimuksen", r"\1 h under avtalet"),
    (r"([\d.]+) h over contract", r"\1 h yli sopimuksen", r"\1 h över avtalet"),
    (r"over work period (\d+) \(", r"jaksotyöajan jaksolla \1 (", r"under arbetsperiod \1 ("),
    (r"over the work period", "jaksotyöajan jaksolla", "under arbetsperioden"),
    (r"over the roster", "koko työvuoroluettelolla", "över hela schemat"),
    (r"carried from earlier work periods", "siirtynyt aiemmilta jaksoilta", "överfört från tidigare arbetsperioder"),
    (r"\btarget ([\d.]+) h", r"tavoite \1 h", r"mål \1 h"),
    (r"\bweek (\d+):", r"viikko \1:", r"vecka \1:"),
    (r"closing shifts per full-time differ by ([\d.]+) between advisors",
     r"iltavuorojen määrä kokoaikaista kohden eroaa neuvojien välillä \1:llä",
     r"kvällspass per heltid skiljer sig med \1 mellan rådgivarna"),
    (r"Saturdays per full-time differ by ([\d.]+) between advisors",
     r"lauantaivuorojen määrä kokoaikaista kohden eroaa neuvojien välillä \1:llä",
     r"lördagar per heltid skiljer sig med \1 mellan rådgivarna"),
    (r"single days off per full-time differ by ([\d.]+) between advisors",
     r"yksittäisten vapaapäivien määrä kokoaikaista kohden eroaa neuvojien välillä \1:llä",
     r"enstaka lediga dagar per heltid skiljer sig med \1 mellan rådgivarna"),
    (r"closing shifts differ by (\d+) between advisors", r"iltavuorojen määrä eroaa neuvojien välillä \1:llä",
     r"kvällspass skiljer sig med \1 mellan rådgivarna"),
    (r"Saturdays differ by (\d+) between advisors", r"lauantaivuorojen määrä eroaa neuvojien välillä \1:llä",
     r"lördagar skiljer sig med \1 mellan rådgivarna"),
    (r"single days off differ by (\d+) between advisors",
     r"yksittäisten vapaapäivien määrä eroaa neuvojien välillä \1:llä",
     r"enstaka lediga dagar skiljer sig med \1 mellan rådgivarna"),
    (r"isolated working day", "yksittäinen työpäivä vapaiden välissä", "enstaka arbetsdag mellan lediga dagar"),
    (r"asked for a day off on", "pyysi vapaapäivää", "bad om en ledig dag"),
    (r"asked not to work a shift starting", "pyysi, ettei tekisi vuoroa, joka alkaa", "bad att inte arbeta ett pass som "
                                                                                      "börjar"),
    (r"asked to work a shift starting", "pyysi vuoroa, joka alkaa", "bad om ett pass som börjar"),
    (r"asked not to work on", "pyysi, ettei työskentelisi", "bad att inte arbeta"),
    (r"asked to work on", "pyysi työvuoroa", "bad att arbeta"),
    (r"\bon ((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2})\b", r"\1", r"på \1"),
)


# A decimal number as the English messages write it ("4.75", "-1.25"), not part of a date ("2.1.", "1.1.2015"), a
# version: Finnish and Swedish write its decimal point as a comma (4,75).
_DECIMAL = re.compile(r"(?<![\d.])(-?\d+)\.(\d+)(?![\d.])")


def decimal_commas(text: str) -> str:
    """`text` with every decimal number's point a comma ("4.75 h" → "4,75 h"); dates and times stay as they are."""
    return _DECIMAL.sub(r"\1,\2", text)


def _breach_day(match: re.Match, lang: str) -> str:
    """'Fri 2 Jan' (roster.day_label) → 'pe 2.1.' / 'fre 2.1.'."""
    weekday, day, month = match.group(1), match.group(2), match.group(3)
    return f"{WEEKDAYS[lang][_EN_DAYS.index(weekday)]} {day}.{_EN_MONTHS.index(month) + 1}."


class Words:
    """The words of one language, with the scenario's display names."""

    def __init__(self, lang: str, scenario: Any = None):
        self.lang = check(lang)
        self.points = {p.point_id: p.name for p in getattr(scenario, "points", ())}
        self.providers = {p.provider_id: self.provider_name(p.provider_id, p.name)
                          for p in getattr(scenario, "providers", ())}
        self.people = {a.advisor_id: a.name for a in getattr(scenario, "advisors", ())}
        self.people.update({o.official_id: o.name for o in getattr(scenario, "officials", ())})
        self.offices = {o.office_id: o.name for o in getattr(scenario, "offices", ())}

    def provider_name(self, provider_id: str, name: str) -> str:
        return PROVIDER_NAMES.get(self.lang, {}).get(provider_id, name)

    def __call__(self, key: str, **values: Any) -> str:
        """The text of `key` with `values` put in, a count's word in its form ("{n|row|rows}": "1 row", "2 rows"); in
        Finnish and Swedish their numbers with a decimal comma (a value may come formatted, "3.10": every number said in
        a sentence passes here)."""
        text = _pick(TEXTS[key], self.lang)
        if values:
            text = _forms(text, values)
        if values and self.lang != "en":
            values = {k: decimal_commas(f"{v:g}" if isinstance(v, float) else v) if isinstance(v, (float, str)) else v
                      for k, v in values.items()}
        return text.format(**values) if values else text

    def number(self, value: object, digits: int = 2) -> str:
        """`value` with `digits` decimals ("" for None or NaN); a decimal comma in Finnish and Swedish."""
        if value is None or value != value:
            return ""
        text = f"{float(value):.{digits}f}"  # type: ignore[arg-type]
        return text if self.lang == "en" else text.replace(".", ",")

    def point(self, point_id: str) -> str:
        return self.points.get(point_id, point_id)

    def provider(self, provider_id: str) -> str:
        return self.providers.get(provider_id, provider_id)

    def person(self, person_id: str) -> str:
        return self.people.get(person_id, person_id)

    def month(self, month: str | dt.date) -> str:
        """'2015-03' or a date → 'March 2015' / 'maaliskuu 2015' / 'mars 2015'."""
        if isinstance(month, str):
            year, number = int(month[:4]), int(month[5:7])
        else:
            year, number = month.year, month.month
        return f"{MONTHS[self.lang][number - 1]} {year}"

    def period(self, start: dt.date, end: dt.date) -> str:
        """'1.1.–31.3.2015' (the Finnish and Swedish way of writing a span of days; also in English here)."""
        head = f"{start.day}.{start.month}." + ("" if start.year == end.year else f"{start.year}")
        return f"{head}–{end.day}.{end.month}.{end.year}"

    def no_visits(self, payload: dict) -> str:
        """What a plan with no visit says (the report, the calendars, the terminal): the outreach horizon and why,
        from outreach summary.json (`payload`): at λ = 0 the residents' trips cost the plan nothing; at any other λ no
        visit paid or could be made."""
        horizon = payload.get("horizon") or {}
        period = (self.period(dt.date.fromisoformat(horizon["start"]), dt.date.fromisoformat(horizon["end"]))
                  if horizon.get("start") and horizon.get("end") else "")
        lam = float(payload.get("access_weight") or 0.0)
        why = self("no_visits_free") if lam == 0 else self("no_visits_paid", lam=f"{lam:g}")
        return self("no_visits", period=period, why=why)

    def weekday(self, day: dt.date) -> str:
        return WEEKDAYS[self.lang][day.weekday()]

    def day(self, day: dt.date) -> str:
        """'Mon 5.1.' — the Finnish and Swedish way of writing a short date (also in English here)."""
        return f"{self.weekday(day)} {day.day}.{day.month}."

    def reason(self, text: str) -> str:
        found = REASONS.get(text.strip().lower())
        return _pick(found, self.lang) if found else text

    def access_reason(self, text: Any, customers: float | None = None) -> Any:
        """An access.csv reason ("code: detail", planner/outreach/plan.py REASONS) in this language: English as it
        is; in Finnish and Swedish the code's meaning (ACCESS_REASONS), its words in number with `customers` (the
        row's customers not served at the point; plural when None), and the customers served by video, if the
        detail counts any ("…; 2 customers by video"); the rest of the English detail is left to access.csv.
        Anything else (blank, an unknown code) is returned as it is."""
        if self.lang == "en" or not isinstance(text, str):
            return text
        found = ACCESS_REASONS.get(text.split(":", 1)[0].strip())
        if not found:
            return text
        video = _VIDEO.search(text)
        meaning = _forms(_pick(found, self.lang), {"n": 2 if customers is None else customers})
        return meaning + (f"; {self('video_detail', n=video.group(1))}" if video else "")

    def cells(self, frame: Any) -> Any:
        """`frame` with the English values of closed lists (CELLS, the headcount rule, access.csv reasons) in this
        language; other values, and every value in English, as they are."""
        if self.lang == "en":
            return frame
        changed = {}
        for column, lookup in CELLS.items():
            if column in frame:
                changed[column] = frame[column].map(
                    lambda v, lookup=lookup: _pick(lookup[v], self.lang) if isinstance(v, str) and v in lookup else v)
        if "headcount_rule" in frame:
            named = _pick(NAMED[1], self.lang)
            changed["headcount_rule"] = changed["headcount_rule"].map(
                lambda v: named.format(n=m.group(1)) if isinstance(v, str) and (m := re.fullmatch(NAMED[0], v)) else v)
        if "reason" in frame:  # in number with the row's customers not served at the point (access.csv's columns)
            away = [c for c in ("at_office", "unmet") if c in frame]
            customers = frame[away].sum(axis=1).tolist() if away else [None] * len(frame)
            changed["reason"] = [self.access_reason(text, n) for text, n in zip(frame["reason"], customers, strict=True)]
        return frame.assign(**changed) if changed else frame

    def sheet(self, key: str, **values: Any) -> str:
        triple = SHEETS.get(key)
        name = _pick(triple, self.lang).format(**values) if triple else key
        return name[:31]

    def breach(self, message: str) -> str:
        """A roster breach message (violations.csv) in this language: BREACH_PHRASES, days as 'pe 2.1.', decimal
        commas; names, other numbers and times as written. English is returned as it is."""
        if self.lang == "en" or not isinstance(message, str):
            return message
        column = 1 if self.lang == "fi" else 2
        for phrase in BREACH_PHRASES:
            message = re.sub(phrase[0], phrase[column], message)
        days = "|".join(_EN_DAYS)
        message = decimal_commas(message)  # before the days become "pe 2.1.", which are no decimals
        return re.sub(rf"\b({days}) (\d{{1,2}}) ({'|'.join(_EN_MONTHS)})\b",
                      lambda m: _breach_day(m, self.lang), message)

    def column(self, name: str) -> str:
        if name in COLUMNS:
            return _pick(COLUMNS[name], self.lang)
        kind = re.fullmatch(r"appointments_(\w+)", name)
        if kind:
            code = kind.group(1)  # a known type in this language, a scenario's own code as written
            return f"{_pick(COLUMNS['appointments'], self.lang)}: " + (
                _pick(APPOINTMENT_TYPES[code], self.lang) if code in APPOINTMENT_TYPES else code)
        for pattern, triple in PATTERNS:
            match = re.fullmatch(pattern, name)
            if match and match.group(1) in self.providers:
                return _pick(triple, self.lang).format(provider=self.provider(match.group(1)))
        return name

    def appointment_types(self, codes: Any) -> str:
        """visits.csv's appointment_types ("permit|wedding") for a reader: each known type in this language (a
        scenario's own code as written), comma-separated."""
        return ", ".join(_pick(APPOINTMENT_TYPES[c], self.lang) if c in APPOINTMENT_TYPES else c
                         for c in str(codes).split("|") if c)

    def columns(self, frame: Any) -> Any:
        """`frame` with its headers in this language (the CSV names when none is known)."""
        return frame.rename(columns={c: self.column(c) for c in frame.columns})

    def names(self, frame: Any) -> Any:
        """Ids of points, providers, advisors and officials replaced by their display names."""
        out = frame.copy()
        for column, lookup in (("point_id", self.point), ("point", self.point), ("provider_id", self.provider),
                               ("official_id", self.person), ("office_id", self.offices.get)):
            if column in out:
                out[column] = out[column].map(lambda v, f=lookup: (f(v) or v) if isinstance(v, str) else v)
        if "advisor" in out and "name" not in out:
            out["advisor"] = out["advisor"].map(lambda v: self.person(v) if isinstance(v, str) else v)
        return out
