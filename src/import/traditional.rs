//! Traditional characters inside simplified text: kept as written (a
//! name or a brand may use one on purpose) but pointed out, since more
//! often they are a slip of the input method or a pasted quotation.
//!
//! The table holds common characters whose simplified form differs, as
//! (traditional, simplified) pairs, sorted by the traditional form.

use std::sync::OnceLock;

/// Pairs of (traditional, simplified) characters, written one after the
/// other.
const PAIRS: &str = concat!(
    "並并亂乱亞亚來来倉仓個个們们偉伟側侧備备傳传傷伤僅仅價价億亿優优儲储兒儿內内兩两凍冻別别則则剛刚創创劃划劉刘勁劲動动務务",
    "勝胜勞劳勢势勵励區区協协卻却參参員员問问啟启單单嗎吗嘆叹嚴严國国圍围園园圓圆圖图團团執执堅坚報报場场塊块塵尘墳坟壇坛壓压",
    "壞坏壯壮夠够奪夺奮奋婦妇媽妈學学宮宫實实審审寫写寬宽寶宝將将專专尋寻對对導导層层屬属島岛嶺岭師师幣币幫帮幹干廚厨廠厂廢废",
    "廣广廳厅張张強强彈弹彎弯後后徑径從从復复徹彻愛爱態态慣惯慶庆憑凭憲宪憶忆應应懷怀戰战戲戏掃扫揚扬換换損损搖摇擁拥擇择擔担",
    "據据擠挤擴扩擺摆攜携攝摄數数斷断時时暢畅暫暂書书會会東东條条棄弃楊杨業业極极構构樂乐標标樣样樸朴橋桥機机檢检權权歐欧歡欢",
    "歲岁歷历歸归殘残殺杀氣气決决沒没況况淨净減减湯汤溝沟溫温滅灭滬沪滿满漢汉潔洁潤润濃浓濟济濱滨灑洒災灾無无煉炼煙烟熱热燈灯",
    "燒烧營营爐炉爭争爺爷牆墙牽牵犧牺狀状獎奖獨独獲获獻献現现瑪玛環环產产畝亩畫画異异當当瘋疯療疗發发盜盗監监盤盘盧卢眾众確确",
    "碼码磚砖礦矿禍祸禮礼種种稱称積积穩稳窮穷競竞筆笔節节範范築筑簡简糧粮紀纪約约紅红純纯紙纸級级紛纷細细終终組组結结絕绝給给",
    "統统絲丝經经綠绿維维網网緊紧線线緣缘編编練练縣县縮缩總总績绩繩绳續续羅罗義义習习聖圣聯联聰聪聲声職职聽听肅肃腦脑腳脚膽胆",
    "臉脸臺台與与興兴舉举舊旧艦舰莊庄華华萬万葉叶蓋盖蓮莲藝艺藥药蘇苏蘭兰處处號号虧亏蟲虫術术衛卫裏里補补裝装製制襲袭見见規规",
    "視视親亲覺觉觀观訂订計计討讨訓训記记訪访設设許许評评詞词試试詩诗話话誇夸認认誠诚誤误說说課课調调談谈請请論论講讲謝谢證证",
    "識识議议護护讀读變变讓让貝贝負负財财貢贡貧贫貨货販贩責责買买費费貿贸資资賓宾賢贤賣卖質质購购賽赛贊赞趕赶趙赵跡迹踐践車车",
    "軌轨軍军軟软載载輕轻輪轮輸输轉转辦办辭辞農农這这連连進进運运過过達达遠远適适選选遼辽還还邊边郵邮鄉乡鄭郑醫医醬酱釋释銀银",
    "鋼钢錄录錢钱錯错鍵键鎮镇鏡镜鐘钟鐵铁長长門门閉闭開开間间閱阅闊阔關关陰阴陳陈陸陆陽阳隊队階阶際际隨随險险隱隐雖虽雙双雜杂",
    "雞鸡離离難难雲云電电霧雾靈灵韋韦韓韩響响頁页項项順顺須须預预領领頭头頻频題题額额顏颜願愿類类顧顾顯显風风飛飞飯饭飲饮養养",
    "餘余館馆馬马駕驾騎骑驗验驚惊體体髮发鬥斗魚鱼魯鲁鮮鲜鳥鸟鳳凤鹽盐麗丽麥麦麵面黃黄點点黨党齊齐齒齿龍龙",
);

fn table() -> &'static [(char, char)] {
    static TABLE: OnceLock<Vec<(char, char)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let chars: Vec<char> = PAIRS.chars().collect();
        let mut pairs: Vec<(char, char)> = chars.chunks(2).map(|p| (p[0], p[1])).collect();
        pairs.sort_unstable();
        pairs
    })
}

/// The traditional characters in a text with their simplified forms, each
/// once, in order of appearance.
pub fn find(text: &str) -> Vec<(char, char)> {
    let table = table();
    let mut out: Vec<(char, char)> = Vec::new();
    for c in text.chars() {
        if let Ok(i) = table.binary_search_by_key(&c, |&(t, _)| t)
            && !out.contains(&table[i])
        {
            out.push(table[i]);
        }
    }
    out
}

/// A note for a field holding traditional characters.
pub fn note(text: &str) -> Option<String> {
    let found = find(text);
    if found.is_empty() {
        return None;
    }
    let list: Vec<String> = found.iter().map(|(t, s)| format!("{t} → {s}")).collect();
    Some(format!(
        "traditional character(s) in simplified text, kept as written: check they are meant ({})",
        list.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_characters_are_found_once_each() {
        assert_eq!(find("江津花椒是國家地理标志产品，國"), [('國', '国')]);
        assert!(find("江津花椒是国家地理标志产品").is_empty());
        assert!(note("發展").unwrap().contains("發 → 发"));
    }

    #[test]
    fn no_simplified_character_is_listed_as_traditional() {
        let table = table();
        for (_, simplified) in table {
            assert!(
                table.binary_search_by_key(simplified, |&(t, _)| t).is_err(),
                "{simplified}"
            );
        }
    }
}
