"""The files a new customer brings on their first day: raw exports of two CRMs.

Sensa Instruments (the acquirer) runs Salesforce: an Accounts report with a
custom "Segment" field, a Products report and an Assets report. Predikt
Analytics (acquired) runs HubSpot: a companies export, a products export and a
line-items export. Six customers are known to both CRMs, four of them with the
same website, one spelled differently (Müller / Mueller) in two cities.
"""

SALESFORCE_ACCOUNTS = """\
Account ID,Account Name,Website,Billing Country,Billing City,Industry,Employees,Type,Account Owner,Created Date,Segment
001A000001,Acme Mining Corp,www.acme-mining.com,Australia,Perth,Mining,5200,Customer,Dana Whitfield,12/03/2019,Mining & metals
001A000002,Borealis Copper Ltd,https://borealiscopper.ca,Canada,Toronto,Mining,1800,Customer,Dana Whitfield,02/07/2020,Mining & metals
001A000003,Nordlicht Logistik GmbH,https://www.nordlicht-logistik.de,Germany,Hamburg,Logistics,900,Customer,Jonas Weber,15/01/2021,Logistics
001A000004,Rhein Energie AG,rheinenergie.de,Germany,Köln,Utilities,3100,Customer,Jonas Weber,20/05/2018,Utilities
001A000005,Alpenblick Hotels AG,alpenblick-hotels.at,Austria,Innsbruck,Hospitality,400,Prospect,Jonas Weber,03/03/2023,
001A000006,Cobalt Ridge Resources,cobaltridge.com,United States,Denver,Mining,650,Customer,Dana Whitfield,11/11/2022,Mining & metals
001A000007,Müller Maschinenbau GmbH,,Germany,München,Machinery,1200,Customer,Jonas Weber,09/09/2017,Manufacturing
"""

HUBSPOT_COMPANIES = """\
Record ID,Company name,Website URL,Country/Region,City,Industry,Number of Employees,Lifecycle Stage,Company owner,Create Date
9001,Acme Mining,acme-mining.com,Australia,Perth,Mining,5000,customer,Lea Koch,2021-04-12
9002,Nordlicht Logistik,nordlicht-logistik.de,Germany,Hamburg,Logistics,850,customer,Lea Koch,2022-01-20
9003,Mueller Maschinenbau,,Germany,Stuttgart,Machinery,1150,customer,Lea Koch,2020-06-30
9004,Seeblick Bäckerei,,Germany,Konstanz,Food & Beverage,60,lead,Lea Koch,2024-02-14
9005,Pacific Water Utility,pacificwater.com,United States,Portland,Utilities,2200,customer,Tom Fletcher,2019-10-01
9006,Borealis Copper,borealiscopper.ca,Canada,Toronto,Mining,1750,customer,Tom Fletcher,2022-08-08
"""

SALESFORCE_PRODUCTS = """\
Product Code,Product Name,Product Family,List Price,Active
SEN-VIB,Vibration sensors,Sensors,"12,000.00",TRUE
SEN-GW,Edge gateway,Sensors,"8,000.00",TRUE
"""

HUBSPOT_PRODUCTS = """\
Name,SKU,Unit price,Product type
Predictive maintenance,PRD-PM,30000,Service
Energy analytics,PRD-EA,25000,Service
"""

SALESFORCE_ASSETS = """\
Asset ID,Account ID,Product Code,Price,Install Date
02i000001,001A000001,SEN-VIB,"48,000.00",01/03/2024
02i000002,001A000002,SEN-VIB,"24,000.00",15/11/2023
02i000003,001A000004,SEN-GW,"16,000.00",01/06/2024
02i000004,001A000006,SEN-VIB,"12,000.00",10/01/2025
02i000005,001A000003,SEN-GW,"8,000.00",01/05/2022
02i000006,001A000007,SEN-VIB,"36,000.00",01/09/2021
"""

HUBSPOT_LINE_ITEMS = """\
Record ID,Associated Company ID,SKU,Amount,Close Date
7001,9001,PRD-PM,30000,2024-02-01
7002,9005,PRD-EA,25000,2023-08-01
7003,9002,PRD-PM,30000,2024-09-01
"""

# The sales organisation, as HR keeps it.
TEAMS = """\
team,reports_to,region,leader,leader_first_name,leader_last_name
Global accounts,,,marta.silva@sensa.example,Marta,Silva
Mining & energy,Global accounts,EMEA and Americas,,,
"""

REPS = """\
Email,Full Name,Team,Company,Motion,Start Date,Typical Core Deal
dana.whitfield@sensa.example,Dana Whitfield,Mining & energy,Sensa,Farmer,2019-02-01,"60,000"
lea.koch@predikt.example,Lea Koch,Mining & energy,Predikt,Hunter,2021-03-15,"30,000"
"""
