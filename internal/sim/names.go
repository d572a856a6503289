package sim

// One pool of given names and one of family names serve everybody —
// legitimate staff, applicants and operatives alike — so that a name never
// tells who is who. The pools mix origins the way a US tech roster does.
var givenNames = []string{
	"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
	"William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Christopher", "Karen",
	"Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Sandra", "Mark", "Ashley", "Steven", "Emily",
	"Andrew", "Michelle", "Joshua", "Amanda", "Kevin", "Melissa", "Brian", "Stephanie", "Ryan", "Rebecca",
	"Jacob", "Laura", "Nicholas", "Emma", "Eric", "Olivia", "Jonathan", "Hannah", "Justin", "Rachel",
	"Benjamin", "Megan", "Samuel", "Lauren", "Alexander", "Katherine", "Tyler", "Natalie", "Aaron", "Grace",
	"Ethan", "Chloe", "Noah", "Sophia", "Lucas", "Maya", "Nathan", "Abigail", "Dylan", "Madison",
	"Carlos", "Maria", "Jose", "Sofia", "Luis", "Isabella", "Diego", "Camila", "Miguel", "Valentina",
	"Juan", "Gabriela", "Alejandro", "Lucia", "Mateo", "Daniela", "Javier", "Ana", "Rafael", "Paula",
	"Wei", "Mei", "Jun", "Yan", "Hao", "Lin", "Kevin", "Jenny", "Eric", "Grace",
	"Hiroshi", "Yuki", "Kenji", "Aiko", "Min-jun", "Ji-woo", "Seo-yeon", "Hyun", "Tuan", "Linh",
	"Raj", "Priya", "Arjun", "Ananya", "Vikram", "Neha", "Rohan", "Kavya", "Sanjay", "Pooja",
	"Amit", "Divya", "Rahul", "Sneha", "Karthik", "Lakshmi", "Aditya", "Meera", "Suresh", "Deepa",
	"Mohammed", "Fatima", "Omar", "Aisha", "Ali", "Layla", "Hassan", "Noor", "Yusuf", "Zara",
	"Kwame", "Amara", "Chinedu", "Ngozi", "Tunde", "Adaeze", "Kofi", "Abena", "Emeka", "Chioma",
	"Piotr", "Anna", "Tomasz", "Katarzyna", "Marek", "Agnieszka", "Jakub", "Magdalena", "Paweł", "Zofia",
	"João", "Beatriz", "Pedro", "Inês", "Tiago", "Mariana", "Rui", "Carolina", "André", "Joana",
	"Lukas", "Lena", "Felix", "Julia", "Jonas", "Anja", "Stefan", "Katrin", "Tobias", "Lea",
	"Liam", "Aoife", "Sean", "Siobhan", "Connor", "Niamh", "Oliver", "Charlotte", "Harry", "Amelia",
	"Marcus", "Jasmine", "Andre", "Imani", "Darnell", "Aaliyah", "Terrence", "Keisha", "Malik", "Tiana",
	"Erik", "Ingrid", "Lars", "Astrid", "Mikael", "Freya", "Ivan", "Elena", "Dmitri", "Natalia",
	"Jorge", "Fernanda", "Ricardo", "Juliana", "Gustavo", "Larissa", "Rodrigo", "Bruna", "Felipe", "Leticia",
	"Angelo", "Maricel", "Paolo", "Kristine", "Mark Anthony", "Joy", "Jerome", "Rowena", "Ramon", "Cristina",
	"Sam", "Alex", "Jordan", "Taylor", "Morgan", "Casey", "Jamie", "Riley", "Avery", "Quinn",
}

var familyNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
	"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
	"Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
	"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
	"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
	"Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
	"Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
	"Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
	"Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
	"Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
	"Chen", "Wang", "Li", "Zhang", "Liu", "Yang", "Huang", "Zhao", "Wu", "Zhou",
	"Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Tanaka", "Suzuki", "Sato", "Watanabe",
	"Tran", "Le", "Pham", "Hoang", "Vu", "Shah", "Singh", "Kumar", "Sharma", "Gupta",
	"Reddy", "Iyer", "Nair", "Rao", "Mehta", "Desai", "Joshi", "Menon", "Pillai", "Chowdhury",
	"Khan", "Ahmed", "Hassan", "Hussain", "Rahman", "Haddad", "Nasser", "Karimi", "Farouk", "Saleh",
	"Okafor", "Adeyemi", "Mensah", "Owusu", "Nwosu", "Balogun", "Okonkwo", "Asante", "Boateng", "Eze",
	"Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Dąbrowski", "Kozłowski",
	"Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Almeida", "Sousa", "Carvalho",
	"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
	"O'Brien", "O'Connor", "Byrne", "Ryan", "Walsh", "McCarthy", "Doyle", "Kennedy", "Lynch", "Quinn",
	"Johansson", "Andersson", "Nielsen", "Hansen", "Larsen", "Ivanov", "Petrov", "Novak", "Horvat", "Popescu",
	"Dela Cruz", "Bautista", "Villanueva", "Santiago", "Mercado", "Aquino", "Castro", "Navarro", "Domingo", "Garcia",
	"Washington", "Jefferson", "Freeman", "Banks", "Simmons", "Coleman", "Jenkins", "Bryant", "Hayes", "Graham",
	"Fisher", "Stone", "Hart", "Fox", "Wells", "Black", "Knight", "Hunt", "Palmer", "Burke",
}

var usStreets = []string{
	"Oak", "Maple", "Cedar", "Pine", "Elm", "Walnut", "Chestnut", "Willow", "Birch", "Spruce",
	"Washington", "Lincoln", "Jefferson", "Madison", "Franklin", "Adams", "Jackson", "Monroe", "Grant", "Hamilton",
	"Lake", "Hill", "Park", "River", "Meadow", "Forest", "Sunset", "Highland", "Valley", "Spring",
	"Main", "Church", "Market", "Mill", "Union", "Center", "Prospect", "Broad", "Water", "Front",
	"2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "12th",
	"Belmont", "Fairview", "Greenwood", "Lakeview", "Ridgewood", "Woodland", "Cherry", "Magnolia", "Dogwood", "Juniper",
}

var usSuffixes = []string{"St", "Ave", "Rd", "Dr", "Ln", "Blvd", "Ct", "Way", "Pl", "Ter"}

var caStreets = []string{"Queen", "King", "Bloor", "Dundas", "Yonge", "Bathurst", "Main", "Granville", "Robson", "Sherbrooke", "Cambie", "Spadina"}
var gbStreets = []string{"Church", "Station", "Victoria", "Park", "Mill", "Queens", "Albert", "Manor", "Kingsway", "Highfield", "Grange", "Elm"}
var deStreets = []string{"Haupt", "Schiller", "Goethe", "Bahnhof", "Linden", "Berliner", "Garten", "Kirch", "Wald", "Schul", "Dorf", "Friedrich"}
var plStreets = []string{"Marszałkowska", "Mickiewicza", "Słowackiego", "Długa", "Polna", "Leśna", "Kościuszki", "Krakowska", "Ogrodowa", "Lipowa", "Sienkiewicza", "Piękna"}
var ptStreets = []string{"Augusta", "do Ouro", "da Prata", "de Santa Catarina", "das Flores", "Garrett", "do Carmo", "de São Bento", "Miguel Bombarda", "Alexandre Herculano"}
var brStreets = []string{"Augusta", "Oscar Freire", "Haddock Lobo", "da Consolação", "Bela Cintra", "Teodoro Sampaio", "Felipe Schmidt", "Bocaiúva", "Lauro Linhares", "dos Pinheiros"}
var mxStreets = []string{"Durango", "Colima", "Tonalá", "Orizaba", "Córdoba", "Medellín", "Tabasco", "Guanajuato", "López Cotilla", "Chapultepec"}
var esStreets = []string{"Alcalá", "Serrano", "Velázquez", "Fuencarral", "Atocha", "Aribau", "Balmes", "Muntaner", "Provença", "Mallorca"}
var phStreets = []string{"Rizal", "Mabini", "Bonifacio", "Luna", "Del Pilar", "Burgos", "Osmeña", "Gorordo", "Jupiter", "Kalayaan"}
var inAreas = map[string][]string{
	"Bengaluru": {"Indiranagar", "Koramangala 5th Block", "HSR Layout", "Jayanagar 4th Block", "Whitefield", "JP Nagar"},
	"Pune":      {"Kothrud", "Baner", "Aundh", "Viman Nagar", "Hinjewadi Phase 1", "Koregaon Park"},
	"Hyderabad": {"Madhapur", "Gachibowli", "Kondapur", "Banjara Hills", "Kukatpally", "Jubilee Hills"},
}

// Departments and the titles they hire for; engineering is the biggest,
// as in a software company.
type department struct {
	Name       string
	CostCenter string
	Weight     int
	Titles     []string
	Leads      []string
}

var departments = []department{
	{"Engineering", "CC-1100", 40, []string{"Software Engineer", "Senior Software Engineer", "Staff Software Engineer", "Backend Engineer", "Frontend Engineer", "Full Stack Engineer", "Mobile Engineer", "DevOps Engineer", "Site Reliability Engineer", "QA Engineer", "Data Engineer"}, []string{"Engineering Manager", "Director of Engineering"}},
	{"Product", "CC-1200", 6, []string{"Product Manager", "Senior Product Manager", "Technical Program Manager"}, []string{"Group Product Manager"}},
	{"Design", "CC-1250", 4, []string{"Product Designer", "Senior Product Designer", "UX Researcher"}, []string{"Design Manager"}},
	{"Data", "CC-1300", 5, []string{"Data Scientist", "Data Analyst", "Machine Learning Engineer", "Analytics Engineer"}, []string{"Data Science Manager"}},
	{"Security", "CC-1400", 3, []string{"Security Engineer", "Security Analyst", "GRC Analyst"}, []string{"Security Manager"}},
	{"IT", "CC-1450", 3, []string{"IT Support Specialist", "IT Systems Administrator", "Identity Engineer"}, []string{"IT Manager"}},
	{"Sales", "CC-2100", 12, []string{"Account Executive", "Sales Development Representative", "Solutions Engineer", "Enterprise Account Executive"}, []string{"Sales Manager", "Regional Sales Director"}},
	{"Marketing", "CC-2200", 6, []string{"Marketing Manager", "Content Marketing Manager", "Product Marketing Manager", "Demand Generation Manager"}, []string{"Director of Marketing"}},
	{"Customer Success", "CC-2300", 9, []string{"Customer Success Manager", "Support Engineer", "Technical Account Manager", "Implementation Specialist"}, []string{"Customer Success Lead"}},
	{"Finance", "CC-3100", 4, []string{"Accountant", "Financial Analyst", "Payroll Specialist", "Controller"}, []string{"Finance Manager"}},
	{"People", "CC-3200", 4, []string{"Recruiter", "Technical Recruiter", "People Partner", "Recruiting Coordinator"}, []string{"Head of Talent"}},
	{"Legal", "CC-3300", 2, []string{"Corporate Counsel", "Paralegal", "Contracts Manager"}, []string{"General Counsel"}},
}

// Roles operatives apply for: remote engineering, as in the public record.
var operativeTitles = []string{"Software Engineer", "Senior Software Engineer", "Backend Engineer", "Frontend Engineer", "Full Stack Engineer", "Mobile Engineer", "DevOps Engineer", "Data Engineer", "Machine Learning Engineer"}

// Previous employers on résumés and candidate records (fictional).
var previousEmployers = []string{
	"Brightline Software", "Northgate Analytics", "Cobalt Health", "Summit Payments", "Bluefin Logistics",
	"Lattice Robotics", "Harborview Media", "Ironwood Labs", "Meridian Retail", "Quarry Data",
	"Tidewater Systems", "Evergreen Mobile", "Copperleaf Finance", "Redwood Games", "Silverline Cloud",
	"Pinecrest Insurance", "Foxglove AI", "Granite Security", "Ambergate Travel", "Lumen Edtech",
	"Freelance", "Self-employed", "Upwork (freelance)", "Stealth startup",
}

var schools = []struct{ Name, Country string }{
	{"University of Michigan - Ann Arbor", "US"}, {"University of Texas at Austin", "US"}, {"Georgia Institute of Technology", "US"},
	{"University of Washington", "US"}, {"Purdue University", "US"}, {"Arizona State University", "US"},
	{"University of California, Berkeley", "US"}, {"Ohio State University", "US"}, {"Rutgers University", "US"},
	{"University of Illinois Urbana-Champaign", "US"}, {"Penn State University", "US"}, {"University of Florida", "US"},
	{"Northeastern University", "US"}, {"Carnegie Mellon University", "US"}, {"University of Minnesota", "US"},
	{"University of Toronto", "CA"}, {"University of Waterloo", "CA"}, {"University of British Columbia", "CA"},
	{"Warsaw University of Technology", "PL"}, {"AGH University of Krakow", "PL"}, {"University of Lisbon", "PT"},
	{"Indian Institute of Technology Bombay", "IN"}, {"Anna University", "IN"}, {"VIT University", "IN"},
	{"University of São Paulo", "BR"}, {"Tecnológico de Monterrey", "MX"}, {"University of the Philippines Diliman", "PH"},
	{"Technical University of Munich", "DE"}, {"University of Manchester", "GB"}, {"National University of Singapore", "SG"},
	{"Tsinghua University", "CN"}, {"Seoul National University", "KR"}, {"University of Tokyo", "JP"},
}

var degrees = []string{"Bachelor's Degree", "Bachelor's Degree", "Bachelor's Degree", "Master's Degree", "Associate's Degree"}
var disciplines = []string{"Computer Science", "Computer Engineering", "Information Technology", "Mathematics", "Electrical Engineering", "Business Administration", "Economics", "Statistics", "Communications", "Psychology"}

// Laptop models the company ships.
var laptopModels = []struct {
	Name, Platform, OSVersion, Kind string
}{
	{"MacBookPro18,3", "OSX", "15.6.1", "mac"},
	{"Mac15,6", "OSX", "15.6.1", "mac"},
	{"Mac14,10", "OSX", "14.7.6", "mac"},
	{"Mac16,1", "OSX", "26.0.1", "mac"},
	{"Latitude 7450", "WINDOWS", "10.0.26100", "dell"},
	{"ThinkPad X1 Carbon Gen 12", "WINDOWS", "10.0.22631", "lenovo"},
}

var phoneModels = []struct {
	Name, Platform, OSVersion string
}{
	{"iPhone 15", "IOS", "18.6.2"}, {"iPhone 16 Pro", "IOS", "26.0"}, {"iPhone 14", "IOS", "18.6.2"}, {"iPhone 13", "IOS", "17.7"},
	{"Pixel 8", "ANDROID", "16"}, {"Pixel 9", "ANDROID", "16"}, {"SM-S921U", "ANDROID", "15"}, {"SM-A546U", "ANDROID", "15"},
}
