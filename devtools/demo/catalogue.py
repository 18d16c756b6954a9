"""The two companies' products and the product map that connects them."""

from dataclasses import dataclass, field

from devtools.demo.plan import ACQUIRED, ACQUIRER


@dataclass(frozen=True)
class CompanyDef:
    role: str
    name: str
    short_name: str
    crm: str
    email_domain: str


COMPANIES: tuple[CompanyDef, ...] = (
    CompanyDef(ACQUIRER, "Sensa Instruments", "Sensa", "salesforce", "sensa.example"),
    CompanyDef(ACQUIRED, "Predikt Analytics", "Predikt", "hubspot", "predikt.example"),
)


@dataclass(frozen=True)
class ProductDef:
    code: str
    name: str
    company: str
    family: str
    list_price: str
    deal: str
    cycle: str
    days: int
    adoption: float  # share of the company's customers that own it
    group: str = ""  # customers own at most one product of a group
    favoured_by: tuple[str, ...] = field(default=())  # industries that adopt it twice as often


SENSORS = "Vibration sensors"
PROCESS = "Process sensors"
GATEWAYS = "Gateways and connectivity"
CALIBRATION = "Calibration and field services"
SENSA_SUPPORT = "Support plans"
PLATFORM = "Predictive-maintenance platform"
ANALYTICS = "Analytics modules"
IMPLEMENTATION = "Implementation services"
SUCCESS = "Success plans"

HEAVY = ("Oil & gas", "Chemicals", "Power & utilities", "Mining & metals")

PRODUCTS: tuple[ProductDef, ...] = (
    ProductDef(
        "SEN-VIB-100",
        "VibraSense 100 wireless vibration sensor",
        ACQUIRER,
        SENSORS,
        "1450",
        "45000",
        "short",
        45,
        0.55,
    ),
    ProductDef(
        "SEN-VIB-300",
        "VibraSense 300 triaxial vibration sensor",
        ACQUIRER,
        SENSORS,
        "1790",
        "85000",
        "short",
        60,
        0.30,
        favoured_by=HEAVY,
    ),
    ProductDef(
        "SEN-VIB-HZ",
        "VibraSense HZ hazardous-area sensor",
        ACQUIRER,
        SENSORS,
        "4200",
        "120000",
        "long",
        120,
        0.06,
        favoured_by=("Oil & gas", "Chemicals"),
    ),
    ProductDef(
        "SEN-TMP-20",
        "ThermoProbe 20 temperature transmitter",
        ACQUIRER,
        PROCESS,
        "650",
        "30000",
        "short",
        40,
        0.35,
    ),
    ProductDef(
        "SEN-PRS-40",
        "PressurePoint 40 pressure transmitter",
        ACQUIRER,
        PROCESS,
        "980",
        "40000",
        "short",
        45,
        0.30,
    ),
    ProductDef(
        "SEN-ACU-10",
        "AcouSense ultrasonic leak detector",
        ACQUIRER,
        PROCESS,
        "3400",
        "60000",
        "short",
        60,
        0.12,
        favoured_by=("Food & beverage",),
    ),
    ProductDef(
        "SEN-OIL-5",
        "LubeCheck oil-condition sensor",
        ACQUIRER,
        PROCESS,
        "2100",
        "55000",
        "short",
        60,
        0.10,
        favoured_by=("Mining & metals",),
    ),
    ProductDef(
        "SEN-GW-E", "EdgeLink gateway", ACQUIRER, GATEWAYS, "5800", "70000", "short", 75, 0.30
    ),
    ProductDef(
        "SEN-GW-X",
        "EdgeLink XR hazardous-area gateway",
        ACQUIRER,
        GATEWAYS,
        "9500",
        "140000",
        "long",
        150,
        0.05,
        favoured_by=("Oil & gas",),
    ),
    ProductDef(
        "SEN-MNT", "Mounting and cabling kit", ACQUIRER, GATEWAYS, "180", "8000", "short", 20, 0.40
    ),
    ProductDef(
        "SEN-CAL-ON",
        "On-site calibration service (annual)",
        ACQUIRER,
        CALIBRATION,
        "12000",
        "24000",
        "short",
        30,
        0.20,
    ),
    ProductDef(
        "SEN-CAL-LAB",
        "Accredited lab calibration",
        ACQUIRER,
        CALIBRATION,
        "450",
        "15000",
        "short",
        30,
        0.25,
    ),
    ProductDef(
        "SEN-INST",
        "Sensor installation and commissioning",
        ACQUIRER,
        CALIBRATION,
        "20000",
        "35000",
        "short",
        45,
        0.15,
    ),
    ProductDef(
        "SEN-SUP-STD",
        "Sensa Care Standard support",
        ACQUIRER,
        SENSA_SUPPORT,
        "8000",
        "12000",
        "short",
        30,
        0.35,
        group="sensa-support",
    ),
    ProductDef(
        "SEN-SUP-PRE",
        "Sensa Care Premium 24/7 support",
        ACQUIRER,
        SENSA_SUPPORT,
        "9800",
        "15000",
        "short",
        30,
        0.12,
        group="sensa-support",
    ),
    ProductDef(
        "SEN-VIB-KIT",
        "VibraSense starter kit (10 sensors)",
        ACQUIRER,
        SENSORS,
        "12500",
        "12500",
        "short",
        20,
        0.08,
    ),
    ProductDef(
        "PDK-ESS",
        "Predikt Essentials (up to 200 assets)",
        ACQUIRED,
        PLATFORM,
        "24000",
        "36000",
        "short",
        60,
        0.50,
        group="platform",
    ),
    ProductDef(
        "PDK-CORE",
        "Predikt Core asset-health platform",
        ACQUIRED,
        PLATFORM,
        "60000",
        "150000",
        "long",
        180,
        0.35,
        group="platform",
        favoured_by=HEAVY,
    ),
    ProductDef(
        "PDK-ENT",
        "Predikt Enterprise (unlimited assets)",
        ACQUIRED,
        PLATFORM,
        "120000",
        "260000",
        "long",
        210,
        0.08,
        group="platform",
    ),
    ProductDef(
        "PDK-EDGE",
        "Predikt Edge connector",
        ACQUIRED,
        PLATFORM,
        "9000",
        "30000",
        "short",
        60,
        0.30,
    ),
    ProductDef(
        "PDK-RUL",
        "Remaining-useful-life forecasting",
        ACQUIRED,
        ANALYTICS,
        "30000",
        "70000",
        "long",
        120,
        0.15,
        favoured_by=HEAVY,
    ),
    ProductDef(
        "PDK-ENE",
        "Energy and efficiency analytics",
        ACQUIRED,
        ANALYTICS,
        "18000",
        "45000",
        "short",
        75,
        0.20,
        favoured_by=("Food & beverage",),
    ),
    ProductDef(
        "PDK-MOB",
        "Predikt Mobile work orders",
        ACQUIRED,
        ANALYTICS,
        "6000",
        "18000",
        "short",
        45,
        0.25,
    ),
    ProductDef(
        "PDK-CMMS",
        "CMMS integration pack",
        ACQUIRED,
        ANALYTICS,
        "15000",
        "40000",
        "short",
        60,
        0.20,
    ),
    ProductDef(
        "PDK-API",
        "Data API and historian connector",
        ACQUIRED,
        ANALYTICS,
        "12000",
        "30000",
        "short",
        60,
        0.15,
    ),
    ProductDef(
        "PDK-ONB",
        "Onboarding and model tuning",
        ACQUIRED,
        IMPLEMENTATION,
        "25000",
        "40000",
        "short",
        45,
        0.30,
    ),
    ProductDef(
        "PDK-RCA",
        "Reliability-engineering retainer",
        ACQUIRED,
        IMPLEMENTATION,
        "48000",
        "96000",
        "long",
        120,
        0.08,
    ),
    ProductDef(
        "PDK-SUC-STD",
        "Customer Success Standard",
        ACQUIRED,
        SUCCESS,
        "12000",
        "15000",
        "short",
        30,
        0.40,
        group="success",
    ),
    ProductDef(
        "PDK-SUC-PRE",
        "Customer Success Premier",
        ACQUIRED,
        SUCCESS,
        "14500",
        "20000",
        "short",
        30,
        0.15,
        group="success",
    ),
    ProductDef(
        "PDK-TRN",
        "Reliability academy training",
        ACQUIRED,
        SUCCESS,
        "3500",
        "14000",
        "short",
        30,
        0.15,
    ),
)

PRODUCTS_BY_CODE: dict[str, ProductDef] = {p.code: p for p in PRODUCTS}


@dataclass(frozen=True)
class MappingDef:
    source: str
    target: str
    relation: str
    reason: str
    validated: bool


# Asymmetric on purpose: Sensa's sensors lead to Predikt's software more often
# than the reverse, and fewer of the reverse pairs were tested with customers.
PRODUCT_MAP: tuple[MappingDef, ...] = (
    MappingDef(
        "SEN-VIB-100",
        "PDK-ESS",
        "complementary",
        "Vibration sensors feed the predictive-maintenance models.",
        True,
    ),
    MappingDef(
        "SEN-VIB-300",
        "PDK-CORE",
        "complementary",
        "Triaxial vibration data is the main input of the asset-health models.",
        True,
    ),
    MappingDef(
        "SEN-VIB-HZ",
        "PDK-RUL",
        "complementary",
        "Hazardous-area assets are the costliest to fail; remaining-life forecasts "
        "pay for the sensors.",
        False,
    ),
    MappingDef(
        "SEN-OIL-5",
        "PDK-RUL",
        "complementary",
        "Oil-condition trends sharpen remaining-useful-life forecasts.",
        False,
    ),
    MappingDef(
        "SEN-GW-E",
        "PDK-EDGE",
        "accessory",
        "The gateway runs the Predikt edge connector out of the box.",
        True,
    ),
    MappingDef(
        "SEN-GW-X",
        "PDK-EDGE",
        "accessory",
        "The hazardous-area gateway can host the edge connector.",
        False,
    ),
    MappingDef(
        "SEN-GW-E",
        "PDK-CORE",
        "complementary",
        "Gateway data already flows; the platform turns it into alerts.",
        True,
    ),
    MappingDef(
        "SEN-ACU-10",
        "PDK-ENE",
        "complementary",
        "Leak-detection findings feed the energy-loss analytics.",
        False,
    ),
    MappingDef(
        "SEN-TMP-20",
        "PDK-ENE",
        "complementary",
        "Temperature data is half of an energy-efficiency baseline.",
        False,
    ),
    MappingDef(
        "SEN-SUP-PRE",
        "PDK-SUC-PRE",
        "service",
        "Premium-support customers expect the same 24/7 cover for the software.",
        False,
    ),
    MappingDef(
        "SEN-CAL-ON",
        "PDK-RCA",
        "service",
        "Calibration crews see the asset problems a reliability retainer fixes.",
        False,
    ),
    MappingDef(
        "SEN-INST",
        "PDK-ONB",
        "service",
        "Commissioning new sensors is the moment to tune the models on them.",
        True,
    ),
    MappingDef(
        "PDK-CORE",
        "SEN-VIB-300",
        "complementary",
        "The models need more sensor coverage than most plants have.",
        True,
    ),
    MappingDef(
        "PDK-ESS",
        "SEN-VIB-100",
        "complementary",
        "Essentials customers add wireless sensors to use their 200 assets.",
        True,
    ),
    MappingDef(
        "PDK-ENT",
        "SEN-GW-X",
        "complementary",
        "Enterprise sites stream hazardous-area assets through the XR gateway.",
        False,
    ),
    MappingDef(
        "PDK-EDGE", "SEN-GW-E", "accessory", "The edge connector needs a gateway on site.", True
    ),
    MappingDef(
        "PDK-RUL",
        "SEN-OIL-5",
        "complementary",
        "Remaining-life models for gearboxes need oil-condition data.",
        False,
    ),
    MappingDef(
        "PDK-CORE",
        "SEN-CAL-ON",
        "service",
        "The models are only as good as the calibrated sensors behind them.",
        False,
    ),
    MappingDef(
        "PDK-ONB",
        "SEN-INST",
        "service",
        "Onboarding finds unmonitored assets that need sensors installed.",
        False,
    ),
    MappingDef(
        "PDK-ENE",
        "SEN-ACU-10",
        "complementary",
        "Energy analytics point to compressed-air leaks that the acoustic sensor locates.",
        False,
    ),
    MappingDef(
        "PDK-SUC-PRE",
        "SEN-SUP-PRE",
        "service",
        "Premier customers want one support desk for sensors and software.",
        False,
    ),
    MappingDef(
        "SEN-VIB-100",
        "SEN-VIB-300",
        "upgrade",
        "Triaxial sensing for the critical rotating assets.",
        True,
    ),
    MappingDef(
        "SEN-VIB-100", "SEN-MNT", "accessory", "A mounting kit for each new measuring point.", True
    ),
    MappingDef("SEN-SUP-STD", "SEN-SUP-PRE", "upgrade", "24/7 cover for critical lines.", True),
    MappingDef(
        "SEN-TMP-20",
        "SEN-CAL-LAB",
        "service",
        "Transmitters need an accredited calibration every year.",
        True,
    ),
    MappingDef(
        "SEN-CAL-LAB",
        "SEN-CAL-ON",
        "alternative",
        "Sites with many instruments save by calibrating on site.",
        False,
    ),
    MappingDef(
        "PDK-ESS",
        "PDK-CORE",
        "upgrade",
        "Customers who outgrow 200 assets move to the full platform.",
        True,
    ),
    MappingDef(
        "PDK-SUC-STD",
        "PDK-SUC-PRE",
        "upgrade",
        "A named reliability engineer for the critical sites.",
        True,
    ),
    MappingDef(
        "PDK-CORE",
        "PDK-MOB",
        "accessory",
        "Technicians get work orders from the alerts on their phones.",
        True,
    ),
    MappingDef(
        "PDK-CORE",
        "PDK-CMMS",
        "accessory",
        "Alerts open work orders in the customer's CMMS.",
        True,
    ),
    MappingDef(
        "PDK-CORE",
        "PDK-TRN",
        "service",
        "Reliability engineers need training to act on the model output.",
        False,
    ),
)
