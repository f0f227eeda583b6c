//! Reference data of the gmall schema shared by `mock logs` and `mock db`,
//! so a generated day of logs and a generated database agree: a log's `ar`
//! is a `base_province.id`, its `uid` a `user_info.id`, its items `sku_info` ids.

pub struct Province {
    pub id: u32,
    pub name: &'static str,
    pub region_id: &'static str,
    pub area_code: &'static str,
    pub iso_code: &'static str,
    pub iso_3166_2: &'static str,
}

const fn p(
    id: u32,
    name: &'static str,
    region_id: &'static str,
    area_code: &'static str,
    iso_code: &'static str,
    iso_3166_2: &'static str,
) -> Province {
    Province {
        id,
        name,
        region_id,
        area_code,
        iso_code,
        iso_3166_2,
    }
}

/// gmall's `base_province`.
pub const PROVINCES: [Province; 34] = [
    p(1, "北京", "1", "110000", "CN-11", "CN-BJ"),
    p(2, "天津", "1", "120000", "CN-12", "CN-TJ"),
    p(3, "山西", "1", "140000", "CN-14", "CN-SX"),
    p(4, "内蒙古", "1", "150000", "CN-15", "CN-NM"),
    p(5, "河北", "1", "130000", "CN-13", "CN-HE"),
    p(6, "上海", "2", "310000", "CN-31", "CN-SH"),
    p(7, "江苏", "2", "320000", "CN-32", "CN-JS"),
    p(8, "浙江", "2", "330000", "CN-33", "CN-ZJ"),
    p(9, "安徽", "2", "340000", "CN-34", "CN-AH"),
    p(10, "福建", "2", "350000", "CN-35", "CN-FJ"),
    p(11, "江西", "2", "360000", "CN-36", "CN-JX"),
    p(12, "山东", "2", "370000", "CN-37", "CN-SD"),
    p(13, "重庆", "6", "500000", "CN-50", "CN-CQ"),
    p(14, "台湾", "2", "710000", "CN-71", "CN-TW"),
    p(15, "黑龙江", "3", "230000", "CN-23", "CN-HL"),
    p(16, "吉林", "3", "220000", "CN-22", "CN-JL"),
    p(17, "辽宁", "3", "210000", "CN-21", "CN-LN"),
    p(18, "陕西", "7", "610000", "CN-61", "CN-SN"),
    p(19, "甘肃", "7", "620000", "CN-62", "CN-GS"),
    p(20, "青海", "7", "630000", "CN-63", "CN-QH"),
    p(21, "宁夏", "7", "640000", "CN-64", "CN-NX"),
    p(22, "新疆", "7", "650000", "CN-65", "CN-XJ"),
    p(23, "河南", "4", "410000", "CN-41", "CN-HA"),
    p(24, "湖北", "4", "420000", "CN-42", "CN-HB"),
    p(25, "湖南", "4", "430000", "CN-43", "CN-HN"),
    p(26, "广东", "5", "440000", "CN-44", "CN-GD"),
    p(27, "广西", "5", "450000", "CN-45", "CN-GX"),
    p(28, "海南", "5", "460000", "CN-46", "CN-HI"),
    p(29, "香港", "5", "810000", "CN-91", "CN-HK"),
    p(30, "澳门", "5", "820000", "CN-92", "CN-MO"),
    p(31, "四川", "6", "510000", "CN-51", "CN-SC"),
    p(32, "贵州", "6", "520000", "CN-52", "CN-GZ"),
    p(33, "云南", "6", "530000", "CN-53", "CN-YN"),
    p(34, "西藏", "6", "540000", "CN-54", "CN-XZ"),
];

/// Products in the logs' items and in `sku_info` by default.
pub const SKUS: u32 = 35;

/// Column names and MySQL types of the five mocked tables, in column order.
pub const TABLES: [(&str, &[(&str, &str)]); 5] = [
    (
        "base_province",
        &[
            ("id", "bigint(20)"),
            ("name", "varchar(20)"),
            ("region_id", "varchar(20)"),
            ("area_code", "varchar(20)"),
            ("iso_code", "varchar(20)"),
            ("iso_3166_2", "varchar(20)"),
        ],
    ),
    (
        "user_info",
        &[
            ("id", "bigint(20)"),
            ("login_name", "varchar(200)"),
            ("nick_name", "varchar(200)"),
            ("name", "varchar(200)"),
            ("phone_num", "varchar(200)"),
            ("email", "varchar(200)"),
            ("user_level", "varchar(200)"),
            ("birthday", "date"),
            ("gender", "varchar(1)"),
            ("create_time", "datetime"),
            ("operate_time", "datetime"),
        ],
    ),
    (
        "sku_info",
        &[
            ("id", "bigint(20)"),
            ("spu_id", "bigint(20)"),
            ("price", "decimal(10,2)"),
            ("sku_name", "varchar(200)"),
            ("weight", "decimal(10,2)"),
            ("tm_id", "bigint(20)"),
            ("category3_id", "bigint(20)"),
            ("create_time", "datetime"),
        ],
    ),
    (
        "order_info",
        &[
            ("id", "bigint(20)"),
            ("consignee", "varchar(100)"),
            ("total_amount", "decimal(16,2)"),
            ("order_status", "varchar(20)"),
            ("user_id", "bigint(20)"),
            ("province_id", "int(20)"),
            ("payment_way", "varchar(20)"),
            ("original_total_amount", "decimal(16,2)"),
            ("activity_reduce_amount", "decimal(16,2)"),
            ("coupon_reduce_amount", "decimal(16,2)"),
            ("feight_fee", "decimal(16,2)"),
            ("create_time", "datetime"),
            ("operate_time", "datetime"),
        ],
    ),
    (
        "order_detail",
        &[
            ("id", "bigint(20)"),
            ("order_id", "bigint(20)"),
            ("sku_id", "bigint(20)"),
            ("sku_name", "varchar(200)"),
            ("order_price", "decimal(10,2)"),
            ("sku_num", "bigint(20)"),
            ("source_type", "varchar(20)"),
            ("create_time", "datetime"),
        ],
    ),
];

pub fn columns(table: &str) -> &'static [(&'static str, &'static str)] {
    TABLES
        .iter()
        .find(|(t, _)| *t == table)
        .map_or(&[], |(_, c)| c)
}

pub const SKU_NAMES: [&str; 7] = [
    "小米10 至尊纪念版 双模5G 骁龙865",
    "Apple iPhone 12 (A2404) 64GB 黑色",
    "华为 HUAWEI P40 麒麟990 5G SoC",
    "TCL 75Q10 75英寸 QLED原色量子点电视",
    "CAREMiLLE珂曼奶油小方口红 雾面滋润保湿",
    "金沙河面条 原味银丝挂面 龙须面",
    "索芙特i-Softto 口红不掉色唇膏保湿滋润",
];
pub const SURNAMES: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"];
pub const GIVEN: [&str; 8] = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇"];
